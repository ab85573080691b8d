// Command printinfo prints buildinfo.Get as JSON; the package's test links
// it with the Makefile's ldflags.
package main

import (
	"os"

	"github.com/feastflow/kubectl-feastflow/internal/buildinfo"
)

func main() {
	if err := buildinfo.Print(os.Stdout, buildinfo.Get("printinfo"), buildinfo.OutputJSON); err != nil {
		os.Exit(1)
	}
}
