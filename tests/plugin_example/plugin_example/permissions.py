from itfabrik.core.registry import register_actions
from itfabrik.core.roles import Role

VIEW_GREETING = "plugin_example.view_greeting"

register_actions("plugin_example", {VIEW_GREETING: {Role.COOPERATION_ADMIN, Role.FINANCE}})
