-- nvim-dap end to end: drives `vclide dap` through nvim-dap (loaded from
-- ../shared/clients/nvim-dap-0.6.0 by test/dap.sh) with the plugin's four
-- launch configurations, unchanged (the test one: see run_test_config). For each: a breakpoint in vcl_fetch
-- stops; the frames and the Request/Backend/Cache/Clustering scopes are read
-- through nvim-dap's session; beresp.status is evaluated; step over, into,
-- out and back; continue to `terminated`. In serve mode a loopback HTTP
-- request triggers the stop.

local uv = vim.uv or vim.loop
local bin = assert(os.getenv('VCLIDE_BIN'), 'VCLIDE_BIN is not set')
local here = assert(os.getenv('VCLIDE_DAP_DIR'), 'VCLIDE_DAP_DIR is not set')
local timeout = tonumber(os.getenv('VCLIDE_TIMEOUT_MS') or '20000')
local fixture = here .. '/fixture.vcl'
local scenario = here .. '/scenario.yaml'

local t = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h') .. '/check.lua')
local out, check = t.out, t.check

local function line_of(marker)
  for i, l in ipairs(vim.fn.readfile(fixture)) do
    if l:find('@' .. marker, 1, true) then
      return i
    end
  end
  error('no @' .. marker)
end

-- A tiny loopback HTTP origin for serve mode (the "Origin URL" answer).
local function start_origin()
  local server = uv.new_tcp()
  server:bind('127.0.0.1', 0)
  server:listen(16, function()
    local conn = uv.new_tcp()
    server:accept(conn)
    local buf = ''
    conn:read_start(function(_, chunk)
      if not chunk then
        conn:close()
        return
      end
      buf = buf .. chunk
      if buf:find('\r\n\r\n', 1, true) then
        local body = 'from the loopback origin'
        conn:write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nCache-Control: max-age=60\r\nConnection: close\r\nContent-Length: '
          .. #body .. '\r\n\r\n' .. body, function()
          conn:shutdown(function() conn:close() end)
        end)
      end
    end)
  end)
  return server, server:getsockname().port
end

-- An HTTP GET to the debugger's listener; the answer lands in result.
local function http_get(port, path, result)
  local conn = uv.new_tcp()
  conn:connect('127.0.0.1', port, function(err)
    if err then
      result.err = err
      return
    end
    conn:write('GET ' .. path .. ' HTTP/1.1\r\nHost: www.example.com\r\nConnection: close\r\n\r\n')
    local buf = ''
    conn:read_start(function(rerr, chunk)
      if rerr or not chunk then
        result.text = buf
        result.err = rerr
        conn:close()
        return
      end
      buf = buf .. chunk
    end)
  end)
end

local dap = require('dap')
local events = { stopped = 0, terminated = 0, exited = nil, output = {} }
dap.listeners.after.event_stopped['vclide-test'] = function(_, body)
  events.stopped = events.stopped + 1
  events.last_stop = body
end
dap.listeners.after.event_terminated['vclide-test'] = function()
  events.terminated = events.terminated + 1
end
dap.listeners.after.event_exited['vclide-test'] = function(_, body)
  events.exited = body
end
dap.listeners.after.event_output['vclide-test'] = function(_, body)
  table.insert(events.output, body.output)
end
-- nvim-dap reports adapter errors with vim.notify: keep them.
local notes = {}
vim.notify = function(msg)
  table.insert(notes, msg)
  out('     (notify) ' .. tostring(msg))
end

local function wait(what, cond)
  local ok = vim.wait(timeout, cond, 20)
  if not ok then
    check('waiting for ' .. what, false, 'timed out; notes: ' .. table.concat(notes, ' | '))
  end
  return ok
end

-- wait_stop waits for the next stop and for nvim-dap to have loaded the
-- frames and the scopes' variables; it returns the session and top frame.
local function wait_stop(before)
  if not wait('a stop', function() return events.stopped > before end) then
    return nil
  end
  local s
  local old = events.frame_id
  local ok = wait('frames and scopes', function()
    s = dap.session()
    local f = s and s.current_frame
    if not f or f.id == old or not f.scopes or #f.scopes == 0 then
      return false
    end
    for _, sc in ipairs(f.scopes) do
      if not sc.expensive and sc.variables == nil then
        return false
      end
    end
    return true
  end)
  if not ok then
    return nil
  end
  events.frame_id = s.current_frame.id
  return s, s.current_frame
end

local function request(s, command, args)
  local result
  s:request(command, args, function(err, resp)
    result = { err = err, resp = resp }
  end)
  wait(command, function() return result ~= nil end)
  return result or { err = 'timeout' }
end

-- step runs one nvim-dap stepping command and checks where it stops.
local function step(name, fn, want_line, want_depth)
  local before = events.stopped
  fn()
  local s, f = wait_stop(before)
  if not s then
    return check(name, false, 'no stop')
  end
  local frames = s.threads[s.stopped_thread_id].frames
  local ok = f.line == want_line and (want_depth == nil or #frames == want_depth)
  return check(name, ok, ('stopped at line %s in %s (%d frames), want line %d'):format(f.line, f.name, #frames, want_line))
end

-- launch forgets the events of the previous session, sets the one
-- breakpoint (@fetch-first in the fixture) and starts cfg.
local function launch(cfg)
  events.stopped, events.terminated, events.exited, events.output = 0, 0, nil, {}
  vim.cmd('edit ' .. vim.fn.fnameescape(fixture))
  dap.clear_breakpoints()
  vim.api.nvim_win_set_cursor(0, { line_of('fetch-first'), 0 })
  dap.set_breakpoint()
  dap.run(cfg)
end

trigger_result = {}
local function run_config(cfg, trigger)
  local label = '[' .. cfg.name .. '] '
  launch(cfg)
  if trigger then
    trigger()
  end
  local s, f = wait_stop(0)
  if not check(label .. 'the breakpoint in vcl_fetch stops', s ~= nil and f.line == line_of('fetch-first') and events.last_stop.reason == 'breakpoint',
      f and ('line ' .. f.line .. ' reason ' .. tostring(events.last_stop.reason))) then
    pcall(dap.terminate)
    return
  end
  check(label .. 'the stop carries hitBreakpointIds', events.last_stop.hitBreakpointIds and #events.last_stop.hitBreakpointIds == 1)
  check(label .. 'all threads stopped', events.last_stop.allThreadsStopped == true)

  -- Frames through the session.
  local frames = s.threads[s.stopped_thread_id].frames
  check(label .. 'frames: vcl_fetch on top', frames and #frames == 1 and frames[1].name:find('^vcl_fetch') ~= nil,
    frames and frames[1] and frames[1].name)
  check(label .. 'frames: the source is the buffer\'s file', frames[1].source and frames[1].source.path == fixture,
    frames[1].source and frames[1].source.path)

  -- Scopes and their variables, as nvim-dap loaded them.
  local by = {}
  for _, sc in ipairs(f.scopes) do
    by[sc.name:match('^(%S+)')] = sc
  end
  for _, want in ipairs({ 'Request', 'Backend', 'Cache', 'Clustering' }) do
    check(label .. 'scope ' .. want, by[want] ~= nil and by[want].variables ~= nil)
  end
  local req = by['Request'] and by['Request'].variables or {}
  check(label .. 'Request scope has req.url', req['req.url'] ~= nil, vim.inspect(vim.tbl_keys(req)))
  local clu = by['Clustering'] and by['Clustering'].variables or {}
  check(label .. 'Clustering scope names the fetch node', clu['fetch node'] ~= nil and clu['fetch node'].value ~= '(none)')

  -- Evaluate through the session, in the REPL context nvim-dap uses.
  local ev
  s:evaluate('beresp.status', function(err, resp) ev = { err = err, resp = resp } end)
  wait('evaluate', function() return ev ~= nil end)
  check(label .. 'evaluate beresp.status', ev and ev.resp and ev.resp.result == '200' and ev.resp.type == 'INTEGER',
    ev and vim.inspect(ev.err or ev.resp))

  -- Stepping.
  step(label .. 'step over', dap.step_over, line_of('fetch-call'), 1)
  step(label .. 'step into', dap.step_into, line_of('mark-set'), 2)
  step(label .. 'step out', dap.step_out, line_of('fetch-ttl'), 1)
  step(label .. 'step back', dap.step_back, line_of('fetch-call'), 1)

  -- Continue to the end.
  dap.clear_breakpoints()
  dap.continue()
  if cfg.mode == 'serve' then
    -- A live session ends when the user ends it.
    wait('the HTTP response', function() return trigger_result.text ~= nil end)
    check(label .. 'the HTTP client gets the response', (trigger_result.text or ''):find('200 OK', 1, true) ~= nil
      and (trigger_result.text or ''):find('from the loopback origin', 1, true) ~= nil, trigger_result.text)
    dap.terminate()
  end
  wait('terminated', function() return events.terminated > 0 end)
  check(label .. 'continues to terminated', events.terminated > 0)
  if cfg.mode ~= 'serve' then
    check(label .. 'exited with code 0', events.exited and events.exited.exitCode == 0,
      vim.inspect(events.exited) .. '\n' .. table.concat(events.output))
  end
  wait('the session to close', function() return dap.session() == nil end)
end

-- run_test_config debugs the unit tests of the fixture: the breakpoint in
-- vcl_fetch stops with the test subroutine below it on the stack, and the
-- passing test ends the session with code 0.
local function run_test_config(cfg)
  local label = '[' .. cfg.name .. '] '
  launch(cfg)
  local s, f = wait_stop(0)
  if not check(label .. 'the breakpoint in vcl_fetch stops', s ~= nil and f.line == line_of('fetch-first'),
      f and ('line ' .. f.line)) then
    pcall(dap.terminate)
    return
  end
  local frames = s.threads[s.stopped_thread_id].frames
  check(label .. 'frames: vcl_fetch called from the test subroutine',
    frames and #frames == 2 and frames[1].name:find('^vcl_fetch') ~= nil and frames[2].name:find('test_fetch_marks', 1, true) ~= nil,
    frames and vim.inspect(vim.tbl_map(function(x) return x.name end, frames)))
  check(label .. 'the test frame is in the test file', frames[2] and frames[2].source and frames[2].source.path == here .. '/fixture.test.vcl',
    frames[2] and frames[2].source and frames[2].source.path)
  dap.clear_breakpoints()
  dap.continue()
  wait('terminated', function() return events.terminated > 0 end)
  check(label .. 'exited with code 0 (the test passed)', events.exited and events.exited.exitCode == 0,
    vim.inspect(events.exited) .. '\n' .. table.concat(events.output))
  check(label .. 'the summary reaches the debug console',
    table.concat(events.output):find('1 passed, 0 failed, 0 skipped, 1 total', 1, true) ~= nil, table.concat(events.output))
  wait('the session to close', function() return dap.session() == nil end)
end

local function main()
  local vclide = require('vclide')
  vclide.setup({ path = bin })
  local configs = dap.configurations.vcl
  check('the plugin registers four configurations', configs and #configs == 4)
  check('the adapter runs `vclide dap`', dap.adapters.vcl and dap.adapters.vcl.command == bin and dap.adapters.vcl.args[1] == 'dap')

  local origin, origin_port = start_origin()
  -- The user's answers to the configurations' prompts.
  vim.fn.input = function(prompt, default)
    if prompt:find('Scenario') then
      return scenario
    elseif prompt:find('Origin') then
      return 'http://127.0.0.1:' .. origin_port
    end
    return default
  end

  for _, cfg in ipairs(configs) do
    out('== ' .. cfg.name)
    if cfg.mode == 'test' then
      run_test_config(cfg)
    elseif cfg.mode == 'serve' then
      trigger_result = {}
      local port = tonumber(cfg.listen:match(':(%d+)$'))
      run_config(cfg, function()
        -- The listener is up once the launch succeeded.
        wait('the launch', function() return dap.session() ~= nil and dap.session().initialized end)
        vim.wait(200)
        http_get(port, '/live', trigger_result)
      end)
    else
      run_config(cfg)
    end
  end
  origin:close()
end

local ok, err = pcall(main)
if not ok then
  check('the test ran to the end', false, err)
end
out(('%d passed, %d failed'):format(t.passed, t.failed))
vim.cmd(t.failed == 0 and 'qall!' or 'cquit!')
