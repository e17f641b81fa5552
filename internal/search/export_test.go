package search

// SetFlatChunks sets the number of chunks past which the entry lists
// directories, for tests of large indexes on small ones, and returns the
// function that restores it.
func SetFlatChunks(n int) (restore func()) {
	old := flatChunks
	flatChunks = n
	return func() { flatChunks = old }
}
