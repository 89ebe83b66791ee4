-- scry chisel: topprocs_file
description = "Lists the processes that read and wrote the most bytes to files. With -pc, the container and the thread id inside it are shown as well."
short_description = "Processes reading and writing the most file bytes"
category = "I/O"
args = {}

require("scry_top").chisel {
	keys = { "proc.name", "proc.pid" },
	key_names = { "Process", "PID" },
	value = "evt.rawarg.res", value_name = "Bytes", units = "bytes",
	filter = "fd.type=file and evt.is_io=true", limit = 10,
	container = {
		keys = { "proc.name", "proc.pid", "thread.vtid", "container.name" },
		key_names = { "Process", "Host_pid", "Container_pid", "container.name" },
	},
}
