-- End-to-end check of the Neovim plugin against a real `vclide lsp`.
-- Run by test/run.sh (see there); reads:
--   VCLIDE_BIN         the vclide binary (required)
--   VCLIDE_FIXTURE     the .vcl file to open
--   VCLIDE_TIMEOUT_MS  how long to wait for the server (default 20000)
-- Exits 0 when every check passes, 1 otherwise, printing one line per check.

local bin = os.getenv('VCLIDE_BIN')
local fixture = os.getenv('VCLIDE_FIXTURE')
local timeout = tonumber(os.getenv('VCLIDE_TIMEOUT_MS') or '') or 20000

local t = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h') .. '/check.lua')
local out, check = t.out, t.check
local navigation_checks -- defined below run()
local test_file_checks -- defined below run()



local function finish()
  out(('lsp_spec: %d passed, %d failed'):format(t.passed, t.failed))
  if t.failed > 0 then
    vim.cmd('cquit 1')
  else
    vim.cmd('qall!')
  end
end

local function buf_clients(bufnr)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = bufnr })
  end
  local list = {}
  for _, c in pairs(vim.lsp.buf_get_clients(bufnr)) do
    table.insert(list, c)
  end
  return list
end

-- 0-based line and column of the first occurrence of text in the buffer.
local function find(bufnr, text)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local col = line:find(text, 1, true)
    if col then
      return i - 1, col - 1
    end
  end
end

-- Every spelling a completion item may use for the text it inserts.
local function item_words(item)
  local words = { item.label, item.insertText, item.filterText }
  if type(item.textEdit) == 'table' then
    table.insert(words, item.textEdit.newText)
  end
  return words
end

local function offered(items, word)
  for _, item in ipairs(items) do
    for _, w in ipairs(item_words(item)) do
      if w == word then
        return true
      end
    end
  end
  return false
end

local function run()
  check('VCLIDE_BIN is set', bin ~= nil and bin ~= '', 'set VCLIDE_BIN to the vclide binary')
  check('VCLIDE_BIN is executable', bin ~= nil and vim.fn.executable(bin) == 1, tostring(bin))
  check('fixture exists', fixture ~= nil and vim.fn.filereadable(fixture) == 1, tostring(fixture))
  if t.failed > 0 then
    return
  end

  -- Note every publishDiagnostics, even an empty one, to tell "no answer" from "no problems".
  local publishes = 0
  local default_handler = vim.lsp.handlers['textDocument/publishDiagnostics']
  vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
    publishes = publishes + 1
    return default_handler(err, result, ctx, config)
  end

  local vclide = require('vclide')
  check('setup() succeeds', vclide.setup({ path = bin, dap = false }) == true)

  vim.cmd('edit ' .. vim.fn.fnameescape(fixture))
  local bufnr = vim.api.nvim_get_current_buf()
  check('filetype is vcl', vim.bo[bufnr].filetype == 'vcl', 'got "' .. vim.bo[bufnr].filetype .. '"')

  local attached = vim.wait(timeout, function()
    return #buf_clients(bufnr) > 0
  end, 50)
  if not check('vclide attached to the buffer', attached, 'no LSP client after ' .. timeout .. ' ms') then
    return
  end
  local client = buf_clients(bufnr)[1]
  check('client is named vclide', client.name == 'vclide', client.name)

  -- Diagnostics: the fixture reads an undeclared local variable.
  local got = vim.wait(timeout, function()
    return #vim.diagnostic.get(bufnr) > 0
  end, 50)
  local diags = vim.diagnostic.get(bufnr)
  if not check(
    'diagnostics received',
    got,
    publishes == 0 and 'the server published no diagnostics'
      or ('the server published %d time(s) but never an error'):format(publishes)
  ) then
    return
  end
  local bad_line = find(bufnr, 'var.not_declared')
  local on_bad_line = false
  local lines = {}
  for _, d in ipairs(diags) do
    table.insert(lines, ('%d:%d %s'):format(d.lnum + 1, d.col + 1, d.message))
    if d.lnum == bad_line then
      on_bad_line = true
    end
  end
  check(
    'a diagnostic flags the undeclared variable on line ' .. (bad_line + 1),
    on_bad_line,
    'diagnostics: ' .. table.concat(lines, ' | ')
  )

  -- Completion in expression position inside sub vcl_recv, with no prefix typed.
  local line, col = find(bufnr, 'set req.http.X-Probe = req.url;')
  col = col + #'set req.http.X-Probe = '
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = line, character = col },
    context = { triggerKind = 1 },
  }
  local responses, err = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', params, timeout)
  if not check('completion answered', responses ~= nil, tostring(err)) then
    return
  end
  local items = {}
  for _, resp in pairs(responses) do
    local e = resp.err or resp.error
    check('completion has no error', e == nil, e and vim.inspect(e))
    local result = resp.result or {}
    for _, item in ipairs(result.items or result) do
      table.insert(items, item)
    end
  end
  local where = ('line %d, column %d (in sub vcl_recv)'):format(line + 1, col + 1)
  local sample = {}
  for i = 1, math.min(#items, 15) do
    table.insert(sample, items[i].label)
  end
  local summary = ('%d items: %s%s'):format(#items, table.concat(sample, ', '), #items > 15 and ', ...' or '')
  check('completion at ' .. where .. ' offers req.url', offered(items, 'req.url'), summary)
  check('completion at ' .. where .. ' does not offer beresp.ttl', not offered(items, 'beresp.ttl'), summary)

  if os.getenv('VCLIDE_SELF_TEST') == '1' then
    out('skip hover, definition and rename: the fake server does not implement them')
    return
  end
  navigation_checks(bufnr, client)
  test_file_checks()
end

-- Sends one request and returns its result and error (the first client's).
local function request(bufnr, method, params)
  local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, timeout)
  if not responses then
    return nil, tostring(err)
  end
  for _, resp in pairs(responses) do
    -- Neovim 0.7 names the field `error`, later versions `err`.
    local e = resp.err or resp.error
    if e then
      return nil, e.message or vim.inspect(e)
    end
    return resp.result, nil
  end
  return nil, 'no response'
end

-- Hover, go to definition and rename on the backend F_origin, used in
-- vcl_recv and declared at the top of the fixture.
navigation_checks = function(bufnr, client)
  local uri = vim.uri_from_bufnr(bufnr)
  local use_line, use_col = find(bufnr, 'set req.backend = F_origin;')
  use_col = use_col + #'set req.backend = ' + 2 -- inside the name
  local decl_line, decl_col = find(bufnr, 'backend F_origin {')
  local at_use = { textDocument = { uri = uri }, position = { line = use_line, character = use_col } }

  -- Hover: the declaration of the backend.
  local hover, herr = request(bufnr, 'textDocument/hover', at_use)
  local value = hover and hover.contents and (hover.contents.value or hover.contents) or ''
  if type(value) ~= 'string' then
    value = vim.inspect(value)
  end
  check('hover on F_origin answered', hover ~= nil, herr)
  check('hover on F_origin shows its declaration', value:find('backend F_origin {', 1, true) ~= nil, value)

  -- Hover on a predefined variable: type and where it can be used.
  local probe_line, probe_col = find(bufnr, '= req.url;')
  local vhover = request(bufnr, 'textDocument/hover', { textDocument = { uri = uri }, position = { line = probe_line, character = probe_col + 4 } })
  local vvalue = vhover and vhover.contents and vhover.contents.value or ''
  check('hover on req.url gives its type', vvalue:find('STRING req.url', 1, true) ~= nil, vvalue)

  -- Definition: the backend declaration line.
  local def, derr = request(bufnr, 'textDocument/definition', at_use)
  local loc = def and (def.uri and def or def[1])
  check('definition of F_origin answered', loc ~= nil, derr or vim.inspect(def))
  if loc then
    check('definition of F_origin is its declaration', loc.uri == uri and loc.range.start.line == decl_line
      and loc.range.start.character == decl_col + #'backend ', vim.inspect(loc))
  end

  -- Rename: both occurrences change, applied to the buffer.
  local prep, perr = request(bufnr, 'textDocument/prepareRename', at_use)
  check('prepareRename accepts F_origin', prep ~= nil and prep.placeholder == 'F_origin', perr or vim.inspect(prep))
  local params = vim.deepcopy(at_use)
  params.newName = 'F_primary'
  local edit, rerr = request(bufnr, 'textDocument/rename', params)
  local edits = edit and edit.changes and edit.changes[uri] or {}
  check('rename F_origin gives two edits', #edits == 2, rerr or vim.inspect(edit))
  if edit then
    vim.lsp.util.apply_workspace_edit(edit, client.offset_encoding or 'utf-16')
  end
  local text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
  check('the buffer now declares F_primary', text:find('backend F_primary {', 1, true) ~= nil, text)
  check('the buffer now uses F_primary', text:find('set req.backend = F_primary;', 1, true) ~= nil, text)

  -- Renaming a predefined variable is refused with a message.
  local _, verr = request(bufnr, 'textDocument/rename', { textDocument = { uri = uri },
    position = { line = probe_line, character = probe_col + 4 }, newName = 'x' })
  check('renaming req.url is refused with a message', verr ~= nil and verr:find('cannot be renamed', 1, true) ~= nil, tostring(verr))
end

-- A unit-test file: code lenses, :VclideTest and :VclideTestNearest fill
-- the quickfix list with the failed assertion.
test_file_checks = function()
  local dir = vim.fn.tempname()
  vim.fn.mkdir(dir, 'p')
  vim.fn.writefile({ 'sub vcl_recv {', '#FASTLY recv', '  set req.http.X = "1";', '  return(pass);', '}' }, dir .. '/main.vcl')
  vim.fn.writefile({
    '// @scope: recv', 'sub test_ok {', '  testing.call_subroutine("vcl_recv");', '  assert.state(pass);', '}', '',
    '// @scope: recv', 'sub test_bad {', '  testing.call_subroutine("vcl_recv");', '  assert.equal(req.http.X, "2");', '}',
  }, dir .. '/main.test.vcl')
  vim.cmd('edit ' .. vim.fn.fnameescape(dir .. '/main.test.vcl'))
  local tb = vim.api.nvim_get_current_buf()
  local attached = vim.wait(timeout, function() return #buf_clients(tb) > 0 end, 50)
  if not check('vclide attached to the test file', attached) then
    return
  end
  local lenses = request(tb, 'textDocument/codeLens', { textDocument = { uri = vim.uri_from_bufnr(tb) } }) or {}
  check('code lenses: run all + run/debug per test', #lenses == 5, vim.inspect(lenses))
  local function run_and_wait(cmd)
    vim.fn.setqflist({}, 'r', { title = 'waiting', items = {} })
    vim.cmd(cmd)
    vim.wait(timeout, function() return vim.fn.getqflist({ title = 0 }).title == 'vclide test' end, 50)
    return vim.fn.getqflist()
  end
  local qf = run_and_wait('VclideTest')
  check(':VclideTest puts the one failure in the quickfix list', #qf == 1 and qf[1].lnum == 10 and qf[1].col == 3, vim.inspect(qf))
  vim.api.nvim_win_set_cursor(0, { 3, 0 })
  qf = run_and_wait('VclideTestNearest')
  check(':VclideTestNearest runs only test_ok (no failure)', #qf == 0, vim.inspect(qf))
  vim.api.nvim_win_set_cursor(0, { 10, 0 })
  qf = run_and_wait('VclideTestNearest')
  check(':VclideTestNearest on test_bad reports it', #qf == 1 and (qf[1].text or ''):find('test_bad', 1, true) ~= nil, vim.inspect(qf))
end

local ok, err = xpcall(run, debug.traceback)
check('spec ran without a Lua error', ok, err)
finish()
