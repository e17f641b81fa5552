// Package themes holds the themes built into the handbook binary. Default
// is themes/default: its layouts/ are html/template files named after what
// they render (base, page, runbook, adr, postmortem, evaluation, post,
// list, home, 404), its static/ files are copied to the site's /assets/.
package themes

import (
	"embed"
	"io/fs"
)

//go:embed default
var all embed.FS

// Default returns the default theme's files, rooted at its folder.
func Default() fs.FS {
	sub, err := fs.Sub(all, "default")
	if err != nil {
		panic(err) // the embedded folder always exists
	}
	return sub
}
