"""The volunteers services: the only code that writes the app's rows."""

from .attendance import signup_cancel, signup_check_in, signup_check_out, signup_correct, signup_create
from .members import member_leave, member_register
from .needs import need_close, need_post
from .rules import rule_save
from .self import volunteer_forget, volunteer_prove
from .totals import totals_rebuild

__all__ = ["member_leave", "member_register", "need_close", "need_post", "rule_save", "signup_cancel",
           "signup_check_in", "signup_check_out", "signup_correct", "signup_create", "totals_rebuild",
           "volunteer_forget", "volunteer_prove"]
