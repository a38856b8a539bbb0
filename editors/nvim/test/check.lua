-- The pass/fail bookkeeping every spec in this folder shares: load it with
--   local t = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h') .. '/check.lua')
-- then call t.check(name, ok, detail) and read t.passed / t.failed.

local M = { passed = 0, failed = 0 }

-- out writes one line to stdout at once (headless Neovim buffers it).
function M.out(msg)
  io.stdout:write(msg .. '\n')
  io.stdout:flush()
end

-- check counts and prints one check: "ok   name" or "FAIL name: detail".
function M.check(name, ok, detail)
  if ok then
    M.passed = M.passed + 1
    M.out('ok   ' .. name)
  else
    M.failed = M.failed + 1
    M.out('FAIL ' .. name .. (detail and (': ' .. tostring(detail)) or ''))
  end
  return ok
end

return M
