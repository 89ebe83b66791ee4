-- scry chisel: topscalls_time
description = "Lists the 30 system calls that took the most time in total. Add a filter to look at one process, thread or file only. With -pc, calls are grouped per container."
short_description = "System calls taking the most time"
category = "Performance"
args = {}

require("scry_top").chisel {
	keys = { "evt.type" },
	key_names = { "Syscall" },
	value = "evt.latency", value_name = "Time", units = "time",
	filter = "", limit = 30,
	container = {
		keys = { "evt.type", "container.name" },
		key_names = { "Syscall", "container.name" },
	},
}
