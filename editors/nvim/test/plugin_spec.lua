-- Checks of the Neovim plugin that need no vclide binary: filetype detection,
-- buffer settings, root detection, the LSP command line and the nvim-dap
-- configurations (against dap/launch_fields.json). Run by test/run.sh.

local fixture = os.getenv('VCLIDE_FIXTURE')
local fields_file = os.getenv('VCLIDE_LAUNCH_FIELDS')
local plugin_dir = vim.fn.fnamemodify(fixture, ':p:h:h')

local t = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h') .. '/check.lua')
local out, check = t.out, t.check
local binary_lookup -- defined below run()



local function run()
  -- A stand-in for nvim-dap, so the registration can be inspected.
  package.loaded['dap'] = { adapters = {}, configurations = {} }
  local notes = {}
  vim.notify = function(msg)
    table.insert(notes, msg)
  end

  local vclide = require('vclide')
  local ok = vclide.setup({ path = 'vclide-test-no-such-binary', include_paths = { 'inc' } })
  check('setup() reports a missing binary', ok == false)
  check(
    'the missing-binary message gives the README install command',
    notes[1] ~= nil and notes[1]:find('`go install ./cmd/vclide`', 1, true) ~= nil
      and notes[1]:find('@latest', 1, true) == nil,
    notes[1]
  )
  check(
    'the missing-binary message says where it looked',
    notes[1] ~= nil and notes[1]:find('PATH, then $(go env GOPATH)/bin', 1, true) ~= nil,
    notes[1]
  )

  -- Filetype and buffer settings.
  vim.cmd('edit ' .. vim.fn.fnameescape(fixture))
  local bo = vim.bo
  check('*.vcl gets filetype vcl', bo.filetype == 'vcl', bo.filetype)
  check('commentstring is "# %s"', bo.commentstring == '# %s', bo.commentstring)
  check('shiftwidth is 2 with expandtab', bo.shiftwidth == 2 and bo.expandtab)
  local before = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  vim.cmd('silent normal! gg=G')
  local after = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  local diff
  for i = 1, #before do
    if before[i] ~= after[i] then
      diff = ('line %d: %q became %q'):format(i, before[i], after[i])
      break
    end
  end
  check('re-indenting the fixture changes nothing (#FASTLY stays indented)', diff == nil, diff)
  vim.cmd('silent edit!')

  -- syntax/vcl.vim: highlighting without semantic tokens (Neovim < 0.9).
  vim.cmd('syntax enable')
  vim.cmd('silent edit!')
  check('syntax/vcl.vim loads for vcl buffers', vim.b.current_syntax == 'vcl', tostring(vim.b.current_syntax))
  local function group_at(pattern, offset)
    local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
    for i, line in ipairs(lines) do
      local col = line:find(pattern, 1, true)
      if col then
        local id = vim.fn.synID(i, col + (offset or 0), 1)
        return vim.fn.synIDattr(vim.fn.synIDtrans(id), 'name'), vim.fn.synIDattr(id, 'name')
      end
    end
    return 'no line with ' .. pattern
  end
  local want_groups = {
    { '#FASTLY recv', 'PreProc', 'vclMacro' },
    { 'sub vcl_recv', 'Structure', 'vclDeclaration' },
    { 'set req.http.X-Probe', 'Statement', 'vclStatement' },
    { '"127.0.0.1"', 'String', 'vclString' },
    { '# vclide Neovim test fixture', 'Comment', 'vclComment' },
  }
  for _, w in ipairs(want_groups) do
    local linked, group = group_at(w[1])
    local want_linked = vim.fn.synIDattr(vim.fn.synIDtrans(vim.fn.hlID(w[2])), 'name')
    check('syntax: ' .. w[1] .. ' is ' .. w[3] .. ' (' .. w[2] .. ')', linked == want_linked and group == w[3],
      tostring(group) .. ' → ' .. tostring(linked))
  end
  local _, ttl = group_at('60s', 0)
  check('syntax: 60s is a duration', ttl == 'vclDuration', ttl)

  -- LSP command line and root detection.
  check('cmd is {path, "lsp"}', vim.deep_equal(vclide.cmd(), { 'vclide-test-no-such-binary', 'lsp' }), vim.inspect(vclide.cmd()))
  vclide.setup({ path = 'vclide-test-no-such-binary', log_level = 'debug', dap = false })
  check(
    'log_level adds --log-level',
    vim.deep_equal(vclide.cmd(), { 'vclide-test-no-such-binary', 'lsp', '--log-level', 'debug' }),
    vim.inspect(vclide.cmd())
  )
  local tmp = vim.fn.tempname()
  vim.fn.mkdir(tmp .. '/proj/sub/deeper', 'p')
  vim.fn.writefile({}, tmp .. '/proj/.vclide.yaml')
  vim.fn.writefile({}, tmp .. '/proj/sub/deeper/main.vcl')
  local root = vclide.find_root(tmp .. '/proj/sub/deeper/main.vcl')
  check('root is the folder holding .vclide.yaml', root == vim.fn.resolve(tmp .. '/proj') or root == tmp .. '/proj', root)
  vim.fn.mkdir(tmp .. '/lonely', 'p')
  local lonely = vclide.find_root(tmp .. '/lonely/x.vcl')
  check('without markers the root is the file\'s folder', lonely == tmp .. '/lonely' or lonely:find('/lonely$') ~= nil, lonely)

  -- nvim-dap registration.
  local dap = package.loaded['dap']
  local adapter = dap.adapters.vcl
  check('dap adapter "vcl" registered', type(adapter) == 'table')
  if adapter then
    check('dap adapter runs `<path> dap`', adapter.type == 'executable'
      and adapter.command == 'vclide-test-no-such-binary'
      and vim.deep_equal(adapter.args, { 'dap' }), vim.inspect(adapter))
  end

  local fields = vim.fn.json_decode(table.concat(vim.fn.readfile(fields_file), '\n'))
  local known = { type = true, request = true, name = true }
  for _, f in ipairs(fields) do
    known[f] = true
  end
  local configs = dap.configurations.vcl or {}
  local names = {}
  for _, c in ipairs(configs) do
    table.insert(names, c.name)
    check(c.name .. ': type vcl, request launch', c.type == 'vcl' and c.request == 'launch')
    for k in pairs(c) do
      check(c.name .. ': field ' .. k .. ' is in dap/launch_fields.json', known[k] == true)
    end
  end
  check(
    'dap configurations match the VS Code ones',
    vim.deep_equal(names, { 'Debug a request', 'Debug a scenario', 'Debug live requests', 'Debug VCL tests' }),
    vim.inspect(names)
  )
  check('"Debug live requests" uses mode serve', configs[3] ~= nil and configs[3].mode == 'serve')
  check('"Debug VCL tests" uses mode test', configs[4] ~= nil and configs[4].mode == 'test')

  -- Unit tests: the commands, the nearest test, the debug configuration and
  -- the quickfix items of a report.
  check(':VclideTest is defined', vim.fn.exists(':VclideTest') == 2)
  check(':VclideTestNearest is defined', vim.fn.exists(':VclideTestNearest') == 2)
  local lines = { '// @scope: recv', 'sub test_a {', '  assert.true(true);', '}', '', 'sub test_b {', '  x', '}' }
  check('nearest test inside a test', vclide.nearest_test(lines, 3) == 'test_a')
  check('nearest test on the sub line', vclide.nearest_test(lines, 6) == 'test_b')
  check('nearest test after a test', vclide.nearest_test(lines, 5) == 'test_a')
  check('no test above the first', vclide.nearest_test(lines, 1) == nil)
  local tc = vclide.test_dap_config('/w/main.test.vcl', 'test_a')
  check('test debug config: mode test, the file and the filter',
    tc.mode == 'test' and tc.tests == '/w/main.test.vcl' and tc.filter == 'test_a' and tc.type == 'vcl', vim.inspect(tc))
  for k in pairs(tc) do
    check('test debug config field ' .. k .. ' is in dap/launch_fields.json', known[k] == true)
  end
  local items = vclide.test_failures({ tests = { { file = '/w/t.test.vcl', suites = {
    { name = 'ok', error = '', skip = false, file = '/w/t.test.vcl', line = 2, position = 5 },
    { name = 'bad', error = 'assert.equal: values are not equal', skip = false, file = '/w/t.test.vcl', line = 9, position = 3 },
    { name = 'skipped', error = '', skip = true, file = '/w/t.test.vcl', line = 12, position = 5 },
  } } } })
  check('one quickfix item per failed suite, at its assertion',
    #items == 1 and items[1].lnum == 9 and items[1].col == 3 and items[1].text:find('bad: assert.equal', 1, true) ~= nil, vim.inspect(items))
  check('include_paths reach the dap configurations', configs[1] ~= nil and vim.deep_equal(configs[1].includePaths, { 'inc' }))
  local encoded = vim.fn.json_encode(configs[1].requests[1].headers)
  check('empty headers encode as a JSON object', encoded == '{}', encoded)

  -- The 0.8-0.10 and 0.11+ code paths, driven through stand-ins for the APIs
  -- this Neovim may lack (the real ones are exercised by lsp_spec.lua on
  -- whatever version runs it).
  local real_has, real_start, real_config, real_enable = vim.fn.has, vim.lsp.start, vim.lsp.config, vim.lsp.enable
  local function pretend(version)
    vim.fn.has = function(feature)
      local want = feature:match('^nvim%-(.*)$')
      if want then
        local function num(v)
          local a, b = v:match('^(%d+)%.(%d+)')
          return tonumber(a) * 100 + tonumber(b)
        end
        return num(want) <= num(version) and 1 or 0
      end
      return real_has(feature)
    end
  end
  local started = {}
  vim.lsp.start = function(config, opts)
    table.insert(started, { config = config, opts = opts })
    return 1
  end
  pretend('0.10')
  vim.lsp.config, vim.lsp.enable = nil, nil
  vim.fn.mkdir(tmp .. '/proj/.git', 'p')
  vclide.setup({ path = '/bin/true', dap = false })
  vim.cmd('edit ' .. vim.fn.fnameescape(tmp .. '/proj/sub/deeper/main.vcl'))
  local s = started[#started]
  check('0.8-0.10: vim.lsp.start called on FileType vcl', s ~= nil)
  if s then
    check('0.8-0.10: client name and cmd', s.config.name == 'vclide' and vim.deep_equal(s.config.cmd, { '/bin/true', 'lsp' }), vim.inspect(s.config.cmd))
    check('0.8-0.10: root_dir is the .vclide.yaml folder', s.config.root_dir ~= nil and s.config.root_dir:find('/proj$') ~= nil, s.config.root_dir)
    check('0.8-0.10: bufnr passed', s.opts and s.opts.bufnr == vim.api.nvim_get_current_buf())
  end

  pretend('0.11')
  local configured, enabled = nil, nil
  vim.lsp.config = setmetatable({}, { __call = function(_, name, cfg) configured = { name = name, cfg = cfg } end })
  vim.lsp.enable = function(name) enabled = name end
  vclide.setup({ path = '/bin/true', dap = false, include_paths = { 'x' } })
  check('0.11+: vim.lsp.config("vclide", ...)', configured ~= nil and configured.name == 'vclide')
  if configured then
    local c = configured.cfg
    check('0.11+: cmd, filetypes, root_markers', vim.deep_equal(c.cmd, { '/bin/true', 'lsp' })
      and vim.deep_equal(c.filetypes, { 'vcl', 'terraform' })
      and vim.deep_equal(c.root_markers, { '.vclide.yaml', '.git' }), vim.inspect(c))
    check('0.11+: include paths in init_options and settings', vim.deep_equal(c.init_options.includePaths, { 'x' })
      and vim.deep_equal(c.settings.vclide.includePaths, { 'x' }), vim.inspect(c))
  end
  check('0.11+: vim.lsp.enable("vclide")', enabled == 'vclide')
  local runtime_cfg = dofile(vim.api.nvim_get_runtime_file('lsp/vclide.lua', false)[1])
  check('lsp/vclide.lua gives the default config', vim.deep_equal(runtime_cfg.cmd, { 'vclide', 'lsp' }))

  vim.fn.has, vim.lsp.start, vim.lsp.config, vim.lsp.enable = real_has, real_start, real_config, real_enable
  pcall(vim.api.nvim_del_augroup_by_name, 'vclide')

  binary_lookup(tmp)
end

-- The binary is found like the VS Code extension finds it: the configured
-- path, then PATH, then $(go env GOPATH)/bin.
binary_lookup = function(tmp)
  local vclide = require('vclide')
  local function make_exe(path)
    vim.fn.mkdir(vim.fn.fnamemodify(path, ':h'), 'p')
    vim.fn.writefile({ '#!/bin/sh', 'exit 0' }, path)
    vim.fn.setfperm(path, 'rwxr-xr-x')
    return path
  end
  local on_path_dir = tmp .. '/onpath'
  local gopath = tmp .. '/gopath'
  local explicit = make_exe(tmp .. '/explicit/vclide-lookup')
  local on_path = make_exe(on_path_dir .. '/vclide-lookup')
  local in_gopath = make_exe(gopath .. '/bin/vclide-lookup')
  make_exe(gopath .. '/bin/vclide-only-in-gopath')
  local real_path, real_gopath, real_gobin = vim.env.PATH, vim.env.GOPATH, vim.env.GOBIN
  vim.env.PATH = on_path_dir .. ':' .. real_path
  vim.env.GOPATH = gopath
  vim.env.GOBIN = nil

  local function resolve(path)
    vclide.config = vim.tbl_deep_extend('force', vim.deepcopy(vclide.defaults), { path = path })
    return vclide.resolve_path()
  end
  check('lookup: a configured full path wins over PATH', resolve(explicit) == explicit, resolve(explicit))
  local real_home = vim.env.HOME
  vim.env.HOME = tmp .. '/home'
  local in_home = make_exe(tmp .. '/home/bin/vclide-lookup')
  check('lookup: a configured path with ~ is expanded', resolve('~/bin/vclide-lookup') == in_home, resolve('~/bin/vclide-lookup'))
  vim.env.HOME = real_home
  check('lookup: a command name is looked up on PATH first', resolve('vclide-lookup') == on_path, resolve('vclide-lookup'))
  check('lookup: then in $(go env GOPATH)/bin', resolve('vclide-only-in-gopath') == gopath .. '/bin/vclide-only-in-gopath',
    resolve('vclide-only-in-gopath'))
  vim.env.PATH = real_path
  check('lookup: $(go env GOPATH)/bin when PATH lacks it', resolve('vclide-lookup') == in_gopath, resolve('vclide-lookup'))
  check('lookup: a missing configured path is not searched for elsewhere', resolve(tmp .. '/nowhere/vclide-lookup') == nil)
  check('lookup: nothing found', resolve('vclide-lookup-missing') == nil)
  local dirs = vclide.go_bin_dirs()
  check('go_bin_dirs has $(go env GOPATH)/bin', vim.tbl_contains(dirs, gopath .. '/bin'), vim.inspect(dirs))

  -- setup() runs the resolved binary for the LSP and for nvim-dap.
  package.loaded['dap'] = { adapters = {}, configurations = {} }
  local ok = vclide.setup({ path = 'vclide-only-in-gopath' })
  local found = gopath .. '/bin/vclide-only-in-gopath'
  check('setup() accepts a binary found in $(go env GOPATH)/bin', ok == true)
  check('the LSP command runs the resolved binary', vim.deep_equal(vclide.cmd(), { found, 'lsp' }), vim.inspect(vclide.cmd()))
  local adapter = package.loaded['dap'].adapters.vcl
  check('the dap adapter runs the resolved binary', adapter ~= nil and adapter.command == found, adapter and adapter.command)
  pcall(vim.api.nvim_del_augroup_by_name, 'vclide')

  -- :checkhealth vclide, with the binary found (it answers `version`) and
  -- with it missing.
  local function checkhealth()
    vim.cmd('silent checkhealth vclide')
    local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
    vim.cmd('tabclose')
    return text
  end
  vim.fn.writefile({ '#!/bin/sh', 'echo "vclide v0.0.0-test"' }, found)
  package.loaded['dap'] = nil
  vclide.setup({ path = 'vclide-only-in-gopath', dap = true })
  local report = checkhealth()
  check('checkhealth: the vclide section runs', report:find('vclide binary', 1, true) ~= nil, report)
  check('checkhealth: OK with the binary and its version', report:find('OK', 1, true) ~= nil
    and report:find('vclide v0.0.0-test', 1, true) ~= nil, report)
  check('checkhealth: warns that nvim-dap is missing', report:find('nvim-dap is not installed', 1, true) ~= nil, report)
  check('checkhealth: no Lua error', report:find('Traceback', 1, true) == nil and report:find('E5108', 1, true) == nil, report)
  vclide.setup({ path = 'vclide-test-no-such-binary', dap = false })
  report = checkhealth()
  check('checkhealth: ERROR when the binary is missing', report:find('ERROR', 1, true) ~= nil
    and report:find('vclide not found', 1, true) ~= nil, report)
  pcall(vim.api.nvim_del_augroup_by_name, 'vclide')
  vim.env.GOPATH, vim.env.GOBIN = real_gopath, real_gobin

  -- doc/vclide.txt: its tags build and :help finds them.
  local doc = tmp .. '/helpdoc'
  vim.fn.mkdir(doc .. '/doc', 'p')
  vim.fn.writefile(vim.fn.readfile(plugin_dir .. '/doc/vclide.txt'), doc .. '/doc/vclide.txt')
  vim.cmd('helptags ' .. vim.fn.fnameescape(doc .. '/doc'))
  vim.opt.rtp:prepend(doc)
  for _, tag in ipairs({ 'vclide.txt', 'vclide-health', 'vclide-syntax', ':VclideTest' }) do
    local ok_help = pcall(vim.cmd, 'help ' .. tag)
    check(':help ' .. tag, ok_help and vim.fn.expand('%:t') == 'vclide.txt', vim.fn.expand('%:t'))
    pcall(vim.cmd, 'helpclose')
  end
end

local ok, err = xpcall(run, debug.traceback)
check('spec ran without a Lua error', ok, err)
out(('plugin_spec: %d passed, %d failed'):format(t.passed, t.failed))
if t.failed > 0 then
  vim.cmd('cquit 1')
else
  vim.cmd('qall!')
end
