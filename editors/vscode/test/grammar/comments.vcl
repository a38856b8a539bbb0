# SYNTAX TEST "source.vcl" "comments and #FASTLY macros"

# a hash comment
# <- comment.line.number-sign.vcl punctuation.definition.comment.vcl
#^^^^^^^^^^^^^^^ comment.line.number-sign.vcl

// a double-slash comment
# <-- comment.line.double-slash.vcl punctuation.definition.comment.vcl
# ^^^^^^^^^^^^^^^^^^^^^^^ comment.line.double-slash.vcl

/* a block
# <-- comment.block.vcl punctuation.definition.comment.begin.vcl
#  ^^^^^^^ comment.block.vcl
   comment that spans lines */
#  ^^^^^^^^^^^^^^^^^^^^^^^^ comment.block.vcl
#                           ^^ punctuation.definition.comment.end.vcl

set req.url = "/"; # trailing comment
#                  ^^^^^^^^^^^^^^^^^^ comment.line.number-sign.vcl
#   ^^^^^^^ - comment

sub vcl_recv {
  #FASTLY recv
# ^^^^^^^^^^^^ meta.preprocessor.macro.vcl
# ^ punctuation.definition.directive.vcl
#  ^^^^^^ keyword.control.directive.fastly.vcl
#         ^^^^ entity.name.function.macro.vcl
# ^^^^^^^^^^^^ - comment.line.number-sign.vcl
  #fastly deliver
# ^^^^^^^^^^^^^^^ meta.preprocessor.macro.vcl
#  ^^^^^^ keyword.control.directive.fastly.vcl
#         ^^^^^^^ entity.name.function.macro.vcl
  #Fastly Fetch
#  ^^^^^^ keyword.control.directive.fastly.vcl
#         ^^^^^ entity.name.function.macro.vcl
  # FASTLY recv is only a comment when a space follows the hash
# ^^^^^^^^^^^^^ comment.line.number-sign.vcl
# ^^^^^^^^^^^^^ - meta.preprocessor.macro.vcl
  #FASTLYish is a comment too
# ^^^^^^^^^^ comment.line.number-sign.vcl - meta.preprocessor.macro.vcl
  set req.http.X = "# not a comment"; // comment
#                   ^^^^^^^^^^^^^^^ string.quoted.double.vcl - comment
#                                     ^^^^^^^^^^ comment.line.double-slash.vcl
  set req.http.Y = "/* not a comment */";
#                   ^^^^^^^^^^^^^^^^^^^ string.quoted.double.vcl - comment
}
