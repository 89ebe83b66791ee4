-- scry chisel: spy_users
description = "Shows what users do interactively: every program started under a shell, and every directory a shell changes to, indented by how deep below the login shell it happened. The first argument limits that depth. With -pc, the container is shown too (blue for containers, green for the host)."
short_description = "Commands and directory changes of interactive users"
category = "Security"
args = {
	{ name = "max_depth", description = "Deepest level of the process hierarchy to show", argtype = "int", optional = true },
	{ name = "disable_color", description = "Pass 'disable_color' to print without colors", argtype = "string", optional = true },
}

require "common"
local term = require "ansiterminal"
term.enable_color(true)

local MAX_ANCESTORS = 16
local max_depth = -1

function on_set_arg(name, val)
	if name == "max_depth" then
		max_depth = parse_numeric_input(val, name)
	elseif name == "disable_color" and val == "disable_color" then
		term.enable_color(false)
	end
	return true
end

local f = {}
local anames, apids = {}, {}
local with_container
-- sysdig's version of this chisel shifts its ancestor field list by one slot
-- for every chdir it sees (so later lookups read one ancestor further up, and
-- the first slots read nothing); scry keeps that behaviour, as a count.
local shifted = 0

function on_init()
	f.type = chisel.request_field("evt.type")
	f.exe = chisel.request_field("proc.exe")
	f.args = chisel.request_field("proc.args")
	f.dir = chisel.request_field("evt.arg.path")
	f.user = chisel.request_field("user.name")
	f.time = chisel.request_field("evt.time.s")
	f.pid = chisel.request_field("proc.pid")
	f.ppid = chisel.request_field("proc.ppid")
	f.cname = chisel.request_field("container.name")
	f.cid = chisel.request_field("container.id")
	with_container = sysdig.is_print_container_data()
	chisel.set_filter("((evt.type=execve and evt.dir=<) or (evt.type=chdir and evt.dir=< and proc.name contains sh and not proc.name contains sshd)) and evt.failed=false")
	for j = 0, MAX_ANCESTORS do
		anames[j] = chisel.request_field("proc.aname[" .. j .. "]")
		apids[j] = chisel.request_field("proc.apid[" .. j .. "]")
	end
	return true
end

local function ancestor(list, j)
	if j < shifted then return nil end
	return evt.field(list[j - shifted])
end

-- pid -> { depth below the shell, pid of the shell }
local tree = {}

function on_event()
	local user = evt.field(f.user) or "<NA>"
	local when = evt.field(f.time)
	local pid = evt.field(f.pid)
	local ppid = evt.field(f.ppid)
	local cd = evt.field(f.type) == "chdir"
	local cname = evt.field(f.cname)
	local corr = 1
	if cd then
		ppid = pid
		shifted = shifted + 1
		corr = 0
	end

	if not tree[ppid] then
		tree[ppid] = { -1 }
		for j = 1, MAX_ANCESTORS do
			local name = ancestor(anames, j)
			if name == nil then
				if ancestor(apids, j) == nil then break end
			elseif #name >= 2 and name:sub(-2) == "sh" then
				local shell = ancestor(apids, j)
				tree[ppid] = { tree[shell] and (j - 1) or 0, shell }
			end
		end
	end
	if tree[ppid][1] == -1 then return true end
	if not tree[pid] then
		tree[pid] = { 1 + tree[ppid][1], tree[ppid][2] }
	end

	local node = tree[pid]
	local color = with_container and term.green or ""
	if with_container and cname ~= "host" then color = term.blue end
	local who = with_container and (user .. "@" .. cname) or user
	if cd then
		if max_depth ~= -1 and node[1] - corr > max_depth then return true end
		print(color .. extend_string("", 4 * (node[1] - corr)) .. node[2] .. " " .. when .. " " .. who .. ") cd " .. evt.field(f.dir))
	else
		if max_depth ~= -1 and node[1] - 1 > max_depth then return true end
		local step = with_container and 4 or 3
		print(color .. extend_string("", step * (node[1] - 1)) .. node[2] .. " " .. when .. " " .. who .. ") " ..
			evt.field(f.exe) .. " " .. evt.field(f.args))
	end
	return true
end

function on_capture_end()
	print(term.reset)
end
