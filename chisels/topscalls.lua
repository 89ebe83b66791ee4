-- scry chisel: topscalls
description = "Lists the 30 system calls made most often. Add a filter to look at one process, thread or file only. With -pc, calls are grouped per container."
short_description = "Most frequent system calls"
category = "Performance"
args = {}

require("scry_top").chisel {
	keys = { "evt.type" },
	key_names = { "Syscall" },
	value = "evt.count", value_name = "# Calls", units = "none",
	filter = "evt.type!=switch", limit = 30,
	container = {
		keys = { "evt.type", "container.name" },
		key_names = { "Syscall", "container.name" },
	},
}
