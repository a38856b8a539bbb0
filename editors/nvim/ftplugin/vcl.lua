-- Buffer settings for Fastly VCL.
if vim.b.did_ftplugin then
  return
end
vim.b.did_ftplugin = 1

local bo = vim.bo

-- Comments: `#` and `//` line comments, `/* */` blocks. `gc` and friends use `#`.
bo.commentstring = '# %s'
bo.comments = 's1:/*,mb:*,ex:*/,:#,://'
bo.formatoptions = bo.formatoptions:gsub('[to]', '') .. 'cqj'

-- Indentation: two spaces, brace-based. cindent with `#1` treats `#` lines as
-- comments instead of C preprocessor lines (so `#FASTLY recv` stays indented).
bo.expandtab = true
bo.shiftwidth = 2
bo.softtabstop = 2
bo.tabstop = 8
bo.autoindent = true
bo.cindent = true
bo.cinoptions = '#1,L0,(s,m1,j1'
bo.cinkeys = '0{,0},0),!^F,o,O,e'

-- `gf` and `[i` follow `include "name";`.
bo.include = [[^\s*include\s*"\zs[^"]\+\ze"]]
bo.suffixesadd = '.vcl'

vim.b.undo_ftplugin = table.concat({
  'setlocal commentstring< comments< formatoptions<',
  'setlocal expandtab< shiftwidth< softtabstop< tabstop< autoindent<',
  'setlocal cindent< cinoptions< cinkeys< include< suffixesadd<',
}, ' | ')
