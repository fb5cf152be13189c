package severity

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// formatCount writes an integer with its thousands grouped by spaces, as
// the EU's texts do: 1 000 000.
func formatCount(n int64) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return sign + b.String()
}

// formatEUR writes an amount of euro cents: EUR 500 000, or EUR 1 234.50.
func formatEUR(cents int64) string {
	euros, rest := cents/100, cents%100
	if rest < 0 {
		rest = -rest
	}
	if rest == 0 {
		return "EUR " + formatCount(euros)
	}
	return fmt.Sprintf("EUR %s.%02d", formatCount(euros), rest)
}

// formatDuration writes a duration the way a person says it: 45 min,
// 1 h 30 min, 30 min 1 s.
func formatDuration(d time.Duration) string {
	if d < 0 {
		return "-" + formatDuration(-d)
	}
	h, m, s := d/time.Hour, (d%time.Hour)/time.Minute, d%time.Minute
	var parts []string
	if h > 0 {
		parts = append(parts, fmt.Sprintf("%d h", h))
	}
	if m > 0 {
		parts = append(parts, fmt.Sprintf("%d min", m))
	}
	switch {
	case s%time.Second == 0 && s > 0:
		parts = append(parts, fmt.Sprintf("%d s", s/time.Second))
	case s > 0:
		parts = append(parts, strconv.FormatFloat(s.Seconds(), 'f', -1, 64)+" s")
	}
	if len(parts) == 0 {
		return "0 s"
	}
	return strings.Join(parts, " ")
}

// fracFloor is ⌊n × p ÷ q⌋ for n ≥ 0 and small positive p, q, without
// overflow: it is the largest whole number not above the fraction, so an
// integer x exceeds n × p ÷ q exactly when x > fracFloor(n, p, q).
func fracFloor(n, p, q int64) int64 {
	return n/q*p + n%q*p/q
}
