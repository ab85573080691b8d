// Command corpusgen writes the benchmark corpus to a directory:
//
//	go run ./internal/corpusgen -files 1000 -dir /tmp/feastflow-corpus
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/feastflow/kubectl-feastflow/internal/corpus"
)

func main() {
	dir := flag.String("dir", "", "directory to write the corpus into (required)")
	files := flag.Int("files", 1000, "number of files")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "usage: corpusgen -dir DIR [-files N]")
		os.Exit(2)
	}
	if err := corpus.Write(*dir, *files); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}
