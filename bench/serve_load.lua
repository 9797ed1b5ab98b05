-- wrk script for bench/serve_load.sh: GET requests whose paths come from the file $PATHS (one per line).
-- Each wrk thread takes its own share of the lines (line i goes to thread i mod threads) and walks it in order,
-- so with distinct texts no two requests of a run ask for the same text until a thread wraps around.
local threads = {}
local counter = 0

function setup(thread)
    thread:set("id", counter)
    counter = counter + 1
    table.insert(threads, thread)
end

function init(args)
    local count = tonumber(os.getenv("WRK_THREADS") or "1")
    paths = {}
    local index = 0
    for line in io.lines(os.getenv("PATHS")) do
        if index % count == id then table.insert(paths, line) end
        index = index + 1
    end
    position = 0
    wraps = 0
end

function request()
    position = position + 1
    if position > #paths then
        position = 1
        wraps = wraps + 1
    end
    return wrk.format("GET", paths[position])
end

function done(summary, latency, requests)
    local wrapped = 0
    for _, thread in ipairs(threads) do wrapped = wrapped + (thread:get("wraps") or 0) end
    io.write(string.format("wraps %d\n", wrapped))
end
