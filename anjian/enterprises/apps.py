from django.utils.translation import gettext_lazy as _

from anjian.core.registry import ApiRoute, DemoGenerator, ModuleConfig, NavEntry, ReferenceLoader


class EnterprisesConfig(ModuleConfig):
    name = "anjian.enterprises"
    label = "enterprises"
    verbose_name = _("生产经营单位")
    url_prefix = "enterprises/"
    nav = (
        NavEntry(_("生产经营单位"), "enterprises:enterprise_list", "bi-building", model="enterprises.Enterprise",
                 order=30),
        NavEntry(_("许可证"), "enterprises:licence_list", "bi-card-checklist", model="enterprises.Licence", order=40),
        NavEntry(_("安责险"), "enterprises:insurance_list", "bi-shield-check", model="enterprises.LiabilityInsurance",
                 order=50),
        NavEntry(_("安全生产档案"), "enterprises:archive_list", "bi-folder2-open",
                 model="enterprises.ArchiveDocument", order=60),
    )
    api = (
        ApiRoute("enterprises", "anjian.enterprises.api.views.EnterpriseViewSet", "enterprise"),
        ApiRoute("licences", "anjian.enterprises.api.views.LicenceViewSet", "licence"),
        ApiRoute("insurances", "anjian.enterprises.api.views.LiabilityInsuranceViewSet", "insurance"),
        ApiRoute("archives", "anjian.enterprises.api.views.ArchiveDocumentViewSet", "archive"),
        ApiRoute("industries", "anjian.enterprises.api.views.IndustryViewSet", "industry"),
    )
    reference = (ReferenceLoader(_("国民经济行业分类"), "anjian.enterprises.reference.load_industries"),)
    demo = (
        DemoGenerator(_("生产经营单位"), "anjian.enterprises.demo.generate_for_demo"),
        DemoGenerator(_("企业照片"), "anjian.enterprises.demo_photos.generate_demo_photos"),
        # The demo's notifications are the expiry reminders, sent once the demo users exist.
        DemoGenerator(_("到期提醒"), "anjian.enterprises.tasks.demo_expiry_reminders", after_accounts=True),
    )
