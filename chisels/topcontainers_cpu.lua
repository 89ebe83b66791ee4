-- scry chisel: topcontainers_cpu
description = "Lists the containers that used the most CPU during the capture, as a share of the capture time."
short_description = "Containers using the most CPU"
category = "CPU Usage"
args = {}

require("scry_top").chisel {
	keys = { "container.name" },
	key_names = { "container.name" },
	value = "thread.cpu", scale = 10000000, value_title_field = "thread.exectime",
	value_name = "CPU%", units = "timepct",
	filter = "evt.type=procinfo", limit = 10, view_at_load = true,
}
