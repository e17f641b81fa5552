package build

import (
	"strings"

	"github.com/handbook-dev/handbook/internal/manifest"
)

// manifestPath is the site path of the manifest every build writes.
const manifestPath = "/" + manifest.File

// manifestFile returns the manifest of the prepared site (see package
// manifest): its pages, the files it copies (those beside the pages and
// the site's static folder), and its sources, with what opts.Sources says
// of them.
func manifestFile(p *prepared, opts Options) []byte {
	m := manifest.FromSite(p.site, opts.Sources)
	if p.r != nil && p.r.Theme != nil {
		for _, f := range p.r.Theme.Static {
			if !strings.HasPrefix(f.URL, "/assets/") {
				m.Files = append(m.Files, f.URL)
			}
		}
	}
	return m.Bytes()
}
