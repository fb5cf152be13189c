package auth

import (
	"sync"
	"time"
)

// Throttle limits failed logins per account and per client address within a
// sliding window, so that guessing passwords is slow whichever of the two an
// attacker varies. It is kept in memory: with several replicas each enforces its
// own limit, which multiplies an attacker's budget by the replica count but never
// locks a real user out for long.
type Throttle struct {
	mu        sync.Mutex
	window    time.Duration
	perKey    int
	perClient int
	failures  map[string][]time.Time
}

// NewThrottle allows perKey failures per account and perClient failures per client
// address within window.
func NewThrottle(window time.Duration, perKey, perClient int) *Throttle {
	return &Throttle{window: window, perKey: perKey, perClient: perClient, failures: map[string][]time.Time{}}
}

// DefaultThrottle: 5 failures per account and 20 per address in 15 minutes.
func DefaultThrottle() *Throttle { return NewThrottle(15*time.Minute, 5, 20) }

// Allow reports whether a login for account from client may be tried at now, and
// if not, how long until it may.
func (t *Throttle) Allow(account, client string, now time.Time) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	wait := max(t.blocked("a:"+account, t.perKey, now), t.blocked("c:"+client, t.perClient, now))
	return wait == 0, wait
}

// Fail records a failed attempt.
func (t *Throttle) Fail(account, client string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, k := range []string{"a:" + account, "c:" + client} {
		t.failures[k] = append(t.prune(k, now), now)
	}
	if len(t.failures) > 100_000 {
		t.sweep(now) // bound memory under a spray of distinct names
	}
}

// Succeed clears the account's failures (not the client's: one right password
// must not reset an address that is guessing at many accounts).
func (t *Throttle) Succeed(account string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.failures, "a:"+account)
}

func (t *Throttle) blocked(key string, limit int, now time.Time) time.Duration {
	recent := t.prune(key, now)
	if len(recent) < limit {
		return 0
	}
	return recent[len(recent)-limit].Add(t.window).Sub(now)
}

func (t *Throttle) prune(key string, now time.Time) []time.Time {
	times := t.failures[key]
	i := 0
	for i < len(times) && now.Sub(times[i]) >= t.window {
		i++
	}
	if i == len(times) {
		delete(t.failures, key)
		return nil
	}
	t.failures[key] = times[i:]
	return times[i:]
}

func (t *Throttle) sweep(now time.Time) {
	for k := range t.failures {
		t.prune(k, now)
	}
}
