-- scry chisel: topprocs_cpu
description = "Lists the processes that used the most CPU during the capture, as a share of the capture time. With -pc, the container and the process id inside it are shown as well."
short_description = "Processes using the most CPU"
category = "CPU Usage"
args = {}

require("scry_top").chisel {
	keys = { "proc.name", "proc.pid" },
	key_names = { "Process", "PID" },
	value = "thread.cpu", scale = 10000000, value_title_field = "thread.exectime",
	value_name = "CPU%", units = "timepct",
	filter = "evt.type=procinfo", limit = 10, view_at_load = true,
	container = {
		keys = { "proc.name", "proc.pid", "proc.vpid", "container.name" },
		key_names = { "Process", "Host_pid", "Container_pid", "container.name" },
	},
}
