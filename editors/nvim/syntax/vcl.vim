" Vim syntax file
" Language:    Fastly VCL
" Maintainer:  vclide (editors/nvim in the vclide repository)
"
" Highlighting without a language server: Neovim before 0.9 has no LSP
" semantic tokens, and any Neovim may open VCL before vclide starts. With
" semantic tokens the server's highlighting is drawn on top of this.

if exists('b:current_syntax')
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

syn case match

" Comments: #, // and /* */. `#FASTLY <sub>` is a macro Fastly expands.
syn keyword vclTodo contained TODO FIXME XXX NOTE
syn match   vclComment      "#.*$" contains=vclTodo,@Spell
syn match   vclComment      "//.*$" contains=vclTodo,@Spell
syn region  vclComment      start="/\*" end="\*/" contains=vclTodo,@Spell
" The macro wins over the comment rule that also matches it.
syn match   vclMacro        "^\s*#\s*FASTLY\s\+\h\w*\s*$"

" Strings: "…" with %xx escapes, {"…"} long strings, and the heredoc form.
syn match   vclEscape       contained "%\x\x\|%u\x\{4}\|%u{\x\+}"
syn region  vclString       start=+"+ end=+"+ oneline contains=vclEscape
syn region  vclString       start=+{"+ end=+"}+ contains=vclEscape
syn region  vclString       start=+{\z(\h\w*\)"+ end=+"\z1}+

" Declarations and statements.
syn keyword vclDeclaration  sub acl backend director table ratecounter penaltybox import include
syn keyword vclDeclaration  describe
syn keyword vclStatement    set unset add remove declare local call return error restart synthetic
syn keyword vclStatement    esi log goto
syn match   vclStatement    "\<synthetic\.base64\>"
syn keyword vclConditional  if else elseif elsif
syn keyword vclBoolean      true false

" Types of declare local, typed subroutines and parameters.
syn keyword vclType         STRING INTEGER FLOAT BOOL BOOLEAN TIME RTIME IP BACKEND ACL ID HASH VOID

" return(…) actions and error/restart states.
syn keyword vclAction       lookup pass pipe deliver deliver_stale fetch hash restart error upgrade
syn keyword vclAction       hit_for_pass

" Variables: dotted names of the request model (req.http.Host, beresp.ttl,
" var.local, re.group.1 …) and the built-in subroutines.
syn match   vclVariable     "\<\(req\|bereq\|beresp\|resp\|obj\|client\|server\|fastly\|fastly_info\|geoip\|client\.geo\|math\|time\|var\|re\|now\|tls\|quic\|segmented_caching\|workspace\|waf\|backend\|stale\|esi\|h2\|h3\|transport\|fastly_info\)\.[A-Za-z0-9_.:-]*"
syn match   vclSubName      "\<vcl_\(recv\|hash\|hit\|miss\|pass\|fetch\|error\|deliver\|log\)\>"

" Function calls: a dotted or plain name followed by an opening parenthesis.
syn match   vclFunction     "\<\h[A-Za-z0-9_.]*\ze\s*("

" Literals: numbers, durations (10s, 1.5m, 2d) and IP addresses.
syn match   vclNumber       "\<\d\+\(\.\d\+\)\=\>"
syn match   vclNumber       "\<0x\x\+\>"
syn match   vclDuration     "\<\d\+\(\.\d\+\)\=\(ms\|s\|m\|h\|d\|y\)\>"

" Operators.
syn match   vclOperator     "[!=]=\|!\~\|\~\|&&\|||\|[-+*/%]=\|[<>]=\=\|!"

" Unit-test annotations in comments: // @scope: recv, // @suite: name.
syn match   vclAnnotation   "\(//\|#\)\s*@\(scope\|suite\|skip\|tag\)\>.*$"

hi def link vclTodo         Todo
hi def link vclComment      Comment
hi def link vclMacro        PreProc
hi def link vclAnnotation   SpecialComment
hi def link vclEscape       SpecialChar
hi def link vclString       String
hi def link vclDeclaration  Structure
hi def link vclStatement    Statement
hi def link vclConditional  Conditional
hi def link vclBoolean      Boolean
hi def link vclType         Type
hi def link vclAction       Constant
hi def link vclVariable     Identifier
hi def link vclSubName      Function
hi def link vclFunction     Function
hi def link vclNumber       Number
hi def link vclDuration     Number
hi def link vclOperator     Operator

let b:current_syntax = 'vcl'

let &cpo = s:cpo_save
unlet s:cpo_save
