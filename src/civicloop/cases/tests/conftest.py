import pytest


@pytest.fixture
def cats(db):
    from civicloop.cases.models import Category
    from civicloop.cases.services import categories_ensure_defaults

    categories_ensure_defaults()
    return {c.code: c for c in Category.objects.all()}


@pytest.fixture
def flow(world, cats):
    """Shortcuts that drive a case through the loop with the world's personas."""
    from civicloop.cases import services as s
    from civicloop.cases.constants import Channel

    class Flow:
        def register(self, actor=None, place=None, **kw):
            kw.setdefault("description", "楼道堆物，影响通行")
            kw.setdefault("reporter_name", "李四")
            kw.setdefault("reporter_phone", "13912345678")
            return s.case_register(actor=actor or world.street_dispatcher, channel=kw.pop("channel", Channel.HOTLINE_12345),
                                   place_id=(place or world.comm_a1).pk, **kw)

        def dispatched(self, lead=None, **kw):
            case = self.register(**kw)
            s.case_triage(actor=world.street_dispatcher, case_id=case.pk, category_id=cats["0201"].pk)
            s.case_dispatch(actor=world.street_dispatcher, case_id=case.pk, lead_unit_id=(lead or world.housing).pk)
            case.refresh_from_db()
            return case

        def resolved(self, **kw):
            case = self.dispatched(**kw)
            s.case_accept(actor=world.dept_handler, case_id=case.pk)
            s.case_resolve(actor=world.dept_handler, case_id=case.pk, result="已清理", measures="通知物业")
            case.refresh_from_db()
            return case

        def replied(self, **kw):
            case = self.resolved(**kw)
            s.case_reply(actor=world.dept_handler, case_id=case.pk, channel="phone", content="已处理完毕")
            case.refresh_from_db()
            return case

    return Flow()
