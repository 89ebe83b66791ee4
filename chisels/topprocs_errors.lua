-- scry chisel: topprocs_errors
description = "Lists the processes whose system calls failed most often. With -pc, the container and the thread id inside it are shown as well."
short_description = "Processes with the most failed system calls"
category = "Errors"
args = {}

require("scry_top").chisel {
	keys = { "proc.name", "proc.pid" },
	key_names = { "Process", "PID" },
	value = "evt.count", value_name = "#Errors", units = "none",
	filter = "evt.failed=true", limit = 100,
	container = {
		keys = { "proc.name", "proc.pid", "thread.vtid", "container.name" },
		key_names = { "Process", "Host_pid", "Container_pid", "container.name" },
	},
}
