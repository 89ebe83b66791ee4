-- scry chisel: list_login_shells
description = "Prints the login shell session id seen last among the programs started during the capture (use it to filter spy_users). The first argument keeps only programs whose name contains that text (* for any), the second only those whose arguments contain that text. With -pc, the container name and id are shown too."
short_description = "Login shell session ids"
category = "Security"
args = {
	{ name = "command", description = "Only consider programs whose name contains this text (* for any)", argtype = "string", optional = true },
	{ name = "arguments", description = "Only consider programs whose arguments contain this text", argtype = "string", optional = true },
}

require "common"

local want_comm, want_args

function on_set_arg(name, val)
	if name == "command" then
		if val ~= "*" then want_comm = val end
	elseif name == "arguments" then
		want_args = val
	end
	return true
end

local f = {}
local with_container
local last -- { sid, container name, container id }

function on_init()
	f.sid = chisel.request_field("proc.loginshellid")
	f.exe = chisel.request_field("evt.arg.exe")
	f.args = chisel.request_field("evt.arg.args")
	f.cname = chisel.request_field("container.name")
	f.cid = chisel.request_field("container.id")
	with_container = sysdig.is_print_container_data()
	chisel.set_filter("evt.type=execve")
	return true
end

function on_event()
	local sid, exe, a = evt.field(f.sid), evt.field(f.exe), evt.field(f.args)
	local cname, cid = evt.field(f.cname), evt.field(f.cid)
	if not (sid and exe) then return true end
	-- (string.find patterns, as in sysdig's version)
	if want_comm and string.find(exe, want_comm) == nil then return true end
	if want_args and a and string.find(a, want_args) == nil then return true end
	last = { sid, cname, cid }
	return true
end

function on_capture_end()
	if want_comm then
		print("Shells containing " .. want_comm .. ":")
	else
		print("All shells:")
	end
	if not last then return end
	-- sysdig's version prints its result once per field it holds that is
	-- set (the id, the container name and the container id): the same here.
	local times = 0
	for i = 1, 3 do if last[i] ~= nil then times = times + 1 end end
	for _ = 1, times do
		if with_container then
			print(last[1] .. " " .. last[2] .. " " .. last[3])
		else
			print(last[1])
		end
	end
end
