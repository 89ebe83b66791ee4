-- scry chisel: shellshock_detect
description = "Reports programs that start bash or sh with an environment variable holding a function definition followed by more text, the shape of a shellshock attack (CVE-2014-6271). Each report shows the time, the name and pid of the process that ran the shell, and the variable's text from '()' on."
short_description = "Shells started with shellshock-style environment variables"
category = "Security"
args = {}

require "common"

-- A function definition, "() {" or "(){", with something after the brace.
local FUNC_DEF = "%(%) ?{.+"

local f = {}

function on_init()
	f.pname = chisel.request_field("proc.pname")
	f.ppid = chisel.request_field("proc.ppid")
	f.pid = chisel.request_field("proc.pid")
	f.env = chisel.request_field("evt.arg.environment")
	f.time = chisel.request_field("evt.time")
	chisel.set_filter("(proc.name=bash or proc.name=sh) and evt.type=execve")
	print(extend_string("TIME", 22) .. extend_string("PROCNAME", 22) .. extend_string("PID", 8) .. "FUNCTION")
	return true
end

function on_event()
	local env = evt.field(f.env)
	if env == nil or not string.find(env, FUNC_DEF) then return true end
	-- The event's text has its variables run together: find the variable
	-- itself in the process's environment.
	local proc = sysdig.get_thread_table_nofds()[evt.field(f.pid)]
	if proc == nil then return true end
	for _, var in ipairs(proc.env) do
		if string.find(var, FUNC_DEF) then
			print(extend_string(evt.field(f.time), 22) .. extend_string(evt.field(f.pname), 22) ..
				extend_string(tostring(evt.field(f.ppid)), 8) .. string.match(var, "%(%).+"))
			return true
		end
	end
	return true
end
