# File header comment.
// Another style of header comment.

/* A block comment
   spanning lines,
      with its own indentation kept. */

# Comment attached to the backend.
backend F_a { # after the brace
  # before host
  .host = "a.example.com"; # trailing host
  .port = "443"; /* block trailing */
  # before close of backend
} # after backend

acl office {
  # before entry
  "192.0.2.0"/24; # trailing entry
  "198.51.100.1"; // slash trailing
}

table t {
  # leading entry
  "a": "1", # trailing a
  "b": /* inside */ "2" # no comma yet
}

sub vcl_recv { # trailing brace
    # leading set
    set req.http.A = "1"; # trailing set
    set req.http.B = /* inline before value */ "2";
    set req.http.C = "3" /* inline after value */;
    set req.http.D = "4" # comment before semicolon
      ;


    # after two blank lines

    if (req.http.A) { # trailing if brace
      # only a comment in this block
    } # trailing close
    # between close and else
    else {
      set req.http.E = "5";
    }
    if (req.http.X /* why */ && req.http.Y) {
      esi;
    }
    set req.http.F = "a" # part one
      "b" # part two
      "c";
    call /* odd */ foo;
    log "x"; /* a */ /* b */ # c
    set req.http.G = "1"; set req.http.H = "2"; # two on a line
#column zero comment inside a sub
	#tab-indented comment
    /* own line block */ set req.http.I = "3";
    # before closing brace

}
# between subs
sub vcl_deliver {
  return(deliver) # before semicolon of return
  ;
}

# trailing file comment 1

# trailing file comment 2
