package source

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"go.yaml.in/yaml/v3"
)

// parseJSON reads a stream of JSON objects (one file may hold several, as
// kubectl reads them), each decoded with go-yaml v3 so its fields keep
// their positions; JSON is YAML's flow syntax.
func parseJSON(file string, data []byte) ([]*Document, []error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var docs []*Document
	for {
		var raw json.RawMessage
		start := dec.InputOffset()
		err := dec.Decode(&raw)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return docs, []error{jsonError(file, data, start, err)}
		}
		start += int64(len(data[start:]) - len(bytes.TrimLeft(data[start:], " \t\r\n")))
		line, col := lineColumn(data, int(start))
		src := &sourceText{data: raw, lineOffset: line - 1, columnOffset: col - 1}
		var root yaml.Node
		if err := yaml.Unmarshal(raw, &root); err != nil || len(root.Content) == 0 {
			return docs, []error{&ParseError{File: file, Line: line, Message: fmt.Sprintf("invalid JSON: %v", err)}}
		}
		c := &converter{file: file, lineOffset: line - 1}
		d, err := c.objectsOf(&Document{File: file, src: src}, root.Content[0])
		docs = append(docs, d...)
		if err != nil {
			return docs, []error{err}
		}
	}
}

// jsonError names the line of a JSON syntax error.
func jsonError(file string, data []byte, start int64, err error) *ParseError {
	offset := start
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		offset = syntax.Offset
	}
	line, _ := lineColumn(data, int(min(offset, int64(len(data)))))
	return &ParseError{File: file, Line: line, Message: "invalid JSON: " + err.Error()}
}

// lineColumn returns the 1-based line and column of byte offset in data.
func lineColumn(data []byte, offset int) (int, int) {
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	return line, offset - bytes.LastIndexByte(before, '\n')
}
