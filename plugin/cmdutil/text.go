package cmdutil

import "unicode/utf8"

// Shorten cuts s to limit runes, marking the cut with "…"; a shorter s is
// returned as is.
func Shorten(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	return string([]rune(s)[:limit]) + "…"
}
