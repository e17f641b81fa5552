package main

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"
)

// version is set at link time by make build (-ldflags -X main.version=...).
var version = "dev"

type versionCommand struct{ g *globals }

func (c *versionCommand) Run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	if err := parseFlags(fs, c.g, args, "Usage: handbook version"); err != nil {
		return err
	}
	fmt.Fprintf(c.g.stdout, "handbook %s %s/%s %s\n", versionString(), runtime.GOOS, runtime.GOARCH, runtime.Version())
	return nil
}

// versionString is the version set at link time, else the module version
// go install recorded, else "dev".
func versionString() string {
	v := version
	if v == "dev" {
		if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
	}
	return v
}
