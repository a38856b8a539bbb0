//go:build !unix

package analysis

// nonBlockFlag is zero where O_NONBLOCK does not exist.
const nonBlockFlag = 0
