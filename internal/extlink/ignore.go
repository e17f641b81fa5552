package extlink

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"regexp/syntax"
	"strings"
)

// LoadIgnoreFile reads the ignore patterns in the file at path (the
// format is in the package documentation). A pattern that does not
// compile is an error at path:line:col; all such errors are returned,
// joined, in line order, and then no patterns.
func LoadIgnoreFile(path string) ([]*regexp.Regexp, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("ignore file: %w", err)
	}
	return parseIgnore(path, string(data))
}

func parseIgnore(name, text string) ([]*regexp.Regexp, error) {
	var (
		patterns []*regexp.Regexp
		errs     []error
	)
	for i, line := range strings.Split(text, "\n") {
		pattern := strings.TrimSpace(line)
		if pattern == "" || pattern[0] == '#' {
			continue
		}
		re, err := regexp.Compile(pattern)
		if err != nil {
			col := strings.Index(line, pattern) + 1
			var se *syntax.Error
			if errors.As(err, &se) && se.Expr != "" {
				if at := strings.Index(pattern, se.Expr); at >= 0 {
					col += at
				}
			}
			errs = append(errs, fmt.Errorf("%s:%d:%d: %w", name, i+1, col, err))
			continue
		}
		patterns = append(patterns, re)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return patterns, nil
}
