package search

// SetFlatChunks sets the number of chunks past which the entry lists
// directories, for tests of large indexes on small ones, and returns the
// function that restores it.
func SetFlatChunks(n int) (restore func()) {
	old := flatChunks
	flatChunks = n
	return func() { flatChunks = old }
}

// SetPostingBlock sets how many postings a block of fill's holds, for
// tests of runs spread over many blocks, and returns the function that
// restores it.
func SetPostingBlock(n int) (restore func()) {
	old := postingBlock
	postingBlock = n
	return func() { postingBlock = old }
}
