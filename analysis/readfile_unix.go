//go:build unix

package analysis

import "syscall"

// nonBlockFlag keeps the open from blocking when a FIFO replaced the path
// between the check and the open.
const nonBlockFlag = syscall.O_NONBLOCK
