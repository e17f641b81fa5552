//go:build !linux

package main

// dropCached does nothing where posix_fadvise is not at hand: idle
// folders' pages stay cached.
func dropCached(dir string) {}
