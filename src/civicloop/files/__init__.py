"""Attachments, once for every app: uploaded files checked by their content, re-encoded, stored under random names
and served only to a viewer whom the owning app's rule lets see the owner. See README.md."""
