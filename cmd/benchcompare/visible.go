package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/handbook-dev/handbook/internal/browsertest"
)

// watchScript records, in the page and in every page loaded after it in
// the tab, the wall-clock time (ms since the epoch, from
// performance.timeOrigin + performance.now()) at which an element holding
// the text in window.name first is in the DOM (window.__hbInDOM), and the
// frame after it (window.__hbFrame). window.name survives a reload, so the
// page that the reload brings looks for the same text.
const watchScript = `(() => {
  if (window.__hbWatch) return; window.__hbWatch = true;
  const want = () => window.name.startsWith('hbwant:') ? window.name.slice(7) : '';
  const now = () => performance.timeOrigin + performance.now();
  const look = () => {
    const w = want();
    if (!w || window.__hbInDOM || !document.body || !document.body.textContent.includes(w)) return;
    window.__hbInDOM = now();
    requestAnimationFrame(() => { window.__hbFrame = now(); });
  };
  new MutationObserver(look).observe(document, {childList: true, subtree: true, characterData: true});
  look();
})()`

// visibleSample is one edit seen in the browser: from the save to the
// reload request of the page, to the new text in the DOM, and to the frame
// after it.
type visibleSample struct{ request, inDOM, frame time.Duration }

// serveVisible opens the edited runbook of the site, served by handbook
// serve, in headless Chromium, and times edits saves of its body to the
// new text in the page's DOM.
func serveVisible(handbook, work, site string, n, edits int) ([]visibleSample, error) {
	chromium, err := browsertest.Find()
	if err != nil {
		return nil, err
	}
	steps, restore, err := editPlan(site, 1)
	if err != nil {
		return nil, err
	}
	defer restore()
	file, path := "", steps[0].path
	for _, s := range steps {
		if s.kind == editBody {
			path = s.path
		}
	}
	file = bodyFile(site, path)
	original, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	hb, err := startHandbook(handbook, site)
	if err != nil {
		return nil, err
	}
	defer hb.stop()
	browser, stop, err := startChromium(chromium, work)
	if err != nil {
		return nil, err
	}
	defer stop()
	// The wall time at which the browser sends each document request.
	requests := make(chan time.Time, 16)
	tab, cancel := chromedp.NewContext(browser, chromedp.WithListener(func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && e.Type == network.ResourceTypeDocument {
			select {
			case requests <- time.UnixMicro(int64(e.WallTime.Float64() * 1e6)):
			default:
			}
		}
	}))
	defer cancel()
	if _, err := chromedp.Call(tab, network.Enable, network.EnableParams{}); err != nil {
		return nil, err
	}
	if _, err := chromedp.Call(tab, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: watchScript}); err != nil {
		return nil, err
	}
	if err := chromedp.Do(tab, chromedp.Navigate(hb.base+path), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	var out []visibleSample
	for i := 0; i < edits; i++ {
		want := fmt.Sprintf("Visible edit %d %d", i, time.Now().UnixNano())
		// Settle, arm the watcher in the page shown now, then save.
		time.Sleep(500 * time.Millisecond)
		for len(requests) > 0 {
			<-requests
		}
		if _, err := chromedp.Run(tab, chromedp.Evaluate[bool](`window.name = 'hbwant:' + `+strconv.Quote(want)+`; window.__hbInDOM = 0; window.__hbFrame = 0; `+watchScript+`; true`)); err != nil {
			return out, err
		}
		saved := time.Now()
		if err := os.WriteFile(file, fmt.Appendf(slices.Clone(original), "\n%s.\n", want), 0o644); err != nil {
			return out, err
		}
		var inDOM, frame float64
		deadline := time.Now().Add(5 * time.Minute)
		for frame == 0 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
			// Errors while the page is being replaced are expected.
			if v, err := chromedp.Run(tab, chromedp.Evaluate[[]float64](`[window.__hbInDOM || 0, window.__hbFrame || 0]`)); err == nil && len(v) == 2 {
				inDOM, frame = v[0], v[1]
			}
		}
		if frame == 0 {
			return out, errors.New("the new text did not show in the browser within 5 minutes")
		}
		s := visibleSample{
			inDOM: time.UnixMicro(int64(inDOM * 1000)).Sub(saved),
			frame: time.UnixMicro(int64(frame * 1000)).Sub(saved),
		}
		select {
		case t := <-requests:
			s.request = t.Sub(saved)
		default:
			s.request = -1 // no reload: the page was updated in place
		}
		fmt.Fprintf(os.Stderr, "  save → visible  %6d pages: edit %d: request %v, in DOM %v, frame %v\n", n, i+1, s.request.Round(time.Millisecond), s.inDOM.Round(time.Millisecond), s.frame.Round(time.Millisecond))
		out = append(out, s)
	}
	return out, nil
}

// bodyFile returns the file of a generated page from its site path.
func bodyFile(site, path string) string {
	rel := strings.Trim(path, "/")
	if !strings.HasPrefix(rel, "runbooks/") {
		rel = "content/" + rel
	}
	return filepath.Join(site, filepath.FromSlash(rel)+".md")
}

// visibleTable returns the Markdown row of the samples: medians (min–max).
func visibleTable(n int, ss []visibleSample) string {
	pick := func(f func(visibleSample) time.Duration) string {
		var d []time.Duration
		for _, s := range ss {
			if v := f(s); v >= 0 {
				d = append(d, v)
			}
		}
		if len(d) == 0 {
			return "none (updated in place)"
		}
		slices.Sort(d)
		return fmt.Sprintf("%d ms (%d–%d)", d[len(d)/2].Milliseconds(), d[0].Milliseconds(), d[len(d)-1].Milliseconds())
	}
	return fmt.Sprintf("| %d | %d | %s | %s | %s |", n, len(ss),
		pick(func(s visibleSample) time.Duration { return s.request }),
		pick(func(s visibleSample) time.Duration { return s.inDOM }),
		pick(func(s visibleSample) time.Duration { return s.frame }))
}
