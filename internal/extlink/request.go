package extlink

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// outcome is what one request learned.
type outcome struct {
	sent       bool // false: it never went out (ctx done, host blocked)
	code       int  // status of the last answer, 0 if none
	final      string
	redirects  int
	retryAfter time.Duration // -1: no usable Retry-After
	err        error
}

type hopsKey struct{}

// request sends one request to addr once h and the global limit allow it.
func (c *checker) request(ctx context.Context, h *host, method, addr string) outcome {
	o := outcome{retryAfter: -1}
	release, err := c.acquire(ctx, h)
	if err != nil {
		o.err = err
		return o
	}
	defer release()
	o.sent = true
	actx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	hops := new(int)
	req, err := http.NewRequestWithContext(context.WithValue(actx, hopsKey{}, hops), method, addr, nil)
	if err != nil {
		o.err = err
		return o
	}
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	resp, err := c.client.Do(req)
	o.redirects = *hops
	if resp != nil {
		o.code = resp.StatusCode
		o.final = withoutFragment(resp.Request.URL)
		if method == http.MethodGet {
			io.CopyN(io.Discard, resp.Body, maxBody)
		}
		resp.Body.Close()
		if err == nil && c.retryable(o.code) && !(method == http.MethodHead && c.headSuspect(o)) {
			c.honour(h, o.code, resp.Header.Get("Retry-After"), &o)
		}
	}
	o.err = err
	return o
}

func (c *checker) retryable(code int) bool {
	return !c.accepted(code) && (code == http.StatusTooManyRequests || code >= 500)
}

// honour reads the Retry-After header of an answer to be retried into o
// and, while the request still holds its slot (so no other request to h
// slips in first), pauses h until then, or blocks it when that is
// further away than MaxRetryAfter.
func (c *checker) honour(h *host, code int, header string, o *outcome) {
	now := c.opts.Now()
	o.retryAfter = parseRetryAfter(header, now)
	switch {
	case o.retryAfter > c.opts.MaxRetryAfter:
		h.block(code, waitReason(*o))
	case o.retryAfter >= 0:
		h.pause(now.Add(o.retryAfter))
	}
}

// checkRedirect follows at most maxRedirects redirects, to http(s) URLs
// not seen before in the chain, and counts them.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if hops, ok := req.Context().Value(hopsKey{}).(*int); ok {
		*hops = len(via)
	}
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return errRedirect
	}
	if len(via) > maxRedirects {
		return errTooMany
	}
	next := withoutFragment(req.URL)
	for _, v := range via {
		if withoutFragment(v.URL) == next {
			return errLoop
		}
	}
	return nil
}

func withoutFragment(u *url.URL) string {
	v := *u
	v.Fragment, v.RawFragment = "", ""
	return v.String()
}

// parseRetryAfter reads a Retry-After header, a delay in seconds or an
// HTTP date, as a wait from now; -1 when v is neither.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return -1
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return -1
		}
		return time.Duration(min(n, 1<<32)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0)
	}
	return -1
}

// judgeErr judges a request that got no answer.
func judgeErr(err error, timeout time.Duration) verdict {
	broken := func(reason string, retry, cache bool) verdict {
		return verdict{status: Broken, reason: reason, retry: retry, cache: cache}
	}
	var dns *net.DNSError
	switch {
	case errors.Is(err, errLoop), errors.Is(err, errTooMany), errors.Is(err, errRedirect):
		for _, e := range []error{errLoop, errTooMany, errRedirect} {
			if errors.Is(err, e) {
				return broken(e.Error(), false, true)
			}
		}
	case certError(err):
		return broken("bad TLS certificate: "+inner(err), false, true)
	case timedOut(err):
		return broken(fmt.Sprintf("no answer within %s", timeout), true, false)
	case errors.As(err, &dns) && dns.IsNotFound:
		return broken("no such host", true, true)
	case errors.Is(err, syscall.ECONNREFUSED):
		return broken("connection refused", true, true)
	case errors.Is(err, syscall.ECONNRESET):
		return broken("connection reset", true, false)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return broken("connection closed without an answer", true, false)
	}
	return broken(inner(err), true, false)
}

// permanent reports whether err is certain to come again.
func permanent(err error) bool {
	return errors.Is(err, errLoop) || errors.Is(err, errTooMany) || errors.Is(err, errRedirect) || certError(err)
}

// dialFailure reports whether err happened before a connection was made,
// so that it cannot be HEAD's fault.
func dialFailure(err error) bool {
	var dns *net.DNSError
	var op *net.OpError
	return errors.As(err, &dns) || errors.As(err, &op) && op.Op == "dial"
}

func certError(err error) bool {
	var (
		verify    *tls.CertificateVerificationError
		authority x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
	)
	return errors.As(err, &verify) || errors.As(err, &authority) || errors.As(err, &hostname) || errors.As(err, &invalid)
}

func timedOut(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}

// inner is err without the "Get "https://…": " that http.Client puts
// before it.
func inner(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return err.Error()
}
