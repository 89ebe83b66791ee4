-- scry chisel: udp_extract
local DIR = "./udp_dump_files"

description = "Saves the payload of every successful read and write on UDP sockets (DNS included) of a capture file, one file per socket in " .. DIR .. ": the data of each call is appended to the file of the socket's tuple, named as fd.name with ':' turned into '_' and '>' into '-' (127.0.0.1:5000->127.0.0.1:53 becomes 127.0.0.1_5000--127.0.0.1_53). Files are overwritten. Capture files only."
short_description = "Save the data of each UDP socket to its own file"
category = "I/O"
args = {}

local f = {}
local open_files = {}

function on_init()
	f.data = chisel.request_field("evt.rawarg.data")
	f.fdname = chisel.request_field("fd.name")
	-- (an existing directory is fine)
	os.execute("mkdir " .. DIR .. " 2>/dev/null")
	sysdig.set_snaplen(16384)
	chisel.set_filter("evt.dir=< and evt.rawres>=0 and fd.l4proto=udp and evt.is_io=true")
	return true
end

function on_capture_start()
	if sysdig.is_live() then
		print("live capture not supported")
		return false
	end
	return true
end

local function file_for(fdname)
	local out = open_files[fdname]
	if out == nil then
		local path = DIR .. "/" .. string.gsub(string.gsub(fdname, ":", "_"), ">", "-")
		local err
		out, err = io.open(path, "w")
		if out == nil then error("cannot write " .. tostring(err), 0) end
		open_files[fdname] = out
	end
	return out
end

function on_event()
	local out = file_for(evt.field(f.fdname))
	local data = evt.field(f.data)
	if data ~= nil then out:write(data) end
	return true
end

function on_capture_end()
	for _, out in pairs(open_files) do out:close() end
	open_files = {}
	return true
end
