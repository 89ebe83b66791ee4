-- scry chisel: topcontainers_error
description = "Lists the containers whose system calls failed most often."
short_description = "Containers with the most failed system calls"
category = "Errors"
args = {}

require("scry_top").chisel {
	keys = { "container.name" },
	key_names = { "container.name" },
	value = "evt.count", value_name = "#Errors", units = "none",
	filter = "evt.failed=true and container.name!=host", limit = 100,
}
