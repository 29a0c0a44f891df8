from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.include_root_view = False
router.register("network/sites", views.SiteViewSet, basename="network-site")
router.register("network/devices", views.DeviceViewSet, basename="network-device")
router.register("network/vlans", views.VlanViewSet, basename="network-vlan")
router.register("network/device-types", views.DeviceTypeViewSet, basename="network-device-type")
router.register("network/vlan-plan", views.StandardVlanViewSet, basename="network-vlan-plan")
router.register("network/ssids", views.SsidViewSet, basename="network-ssid")

urlpatterns = [
    path("network/names/validate/", views.NameValidateView.as_view(), name="network-name-validate"),
    path("network/names/next/", views.NameNextView.as_view(), name="network-name-next"),
    path("network/standard/", views.StandardView.as_view(), name="network-standard"),
    path(
        "network/municipality-codes/",
        views.MunicipalityCodeView.as_view(),
        name="network-municipality-code",
    ),
    path("network/import/", views.ImportView.as_view(), name="network-import"),
    path("network/conformance/", views.ConformanceView.as_view(), name="network-conformance"),
    *router.urls,
]
