-- scry chisel: topprocs_net
description = "Lists the processes that sent and received the most bytes over IPv4 and IPv6 sockets. With -pc, the container and the thread id inside it are shown as well."
short_description = "Processes moving the most network bytes"
category = "Net"
args = {}

require("scry_top").chisel {
	keys = { "proc.name", "proc.pid" },
	key_names = { "Process", "PID" },
	value = "evt.rawarg.res", value_name = "Bytes", units = "bytes",
	filter = "(fd.type=ipv4 or fd.type=ipv6) and evt.is_io=true", limit = 100,
	container = {
		keys = { "proc.name", "proc.pid", "thread.vtid", "container.name" },
		key_names = { "Process", "Host_pid", "Container_pid", "container.name" },
	},
}
