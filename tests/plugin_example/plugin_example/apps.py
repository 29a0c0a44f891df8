from django.apps import AppConfig


class PluginExampleConfig(AppConfig):
    name = "plugin_example"
    label = "plugin_example"
    itfabrik_app = True  # held to the registry checks like the itfabrik.* apps
