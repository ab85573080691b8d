package certs

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRenewKeepsTheCAAndIssuesANewServingCertificate(t *testing.T) {
	opts := Options{Service: "feastflow-webhook", Namespace: "feastflow-system"}
	first, err := Generate(opts)
	require.NoError(t, err)
	later := time.Now().Add(24 * time.Hour)
	renewed, err := first.Renew(Options{Service: opts.Service, Namespace: opts.Namespace, Now: func() time.Time { return later }})
	require.NoError(t, err)

	assert.Equal(t, first.CACert, renewed.CACert)
	assert.NotEqual(t, first.Cert, renewed.Cert)
	assert.NotEqual(t, first.Key, renewed.Key)
	require.NoError(t, ValidFor(first.CACert, renewed.Cert, "feastflow-webhook.feastflow-system.svc", later))
	oldEnd, err := NotAfter(first.Cert)
	require.NoError(t, err)
	newEnd, err := NotAfter(renewed.Cert)
	require.NoError(t, err)
	assert.True(t, newEnd.After(oldEnd), "renewed certificate should outlive the first")
}

func TestRenewRejectsABundleWithoutItsCAKey(t *testing.T) {
	b, err := Generate(Options{Service: "s", Namespace: "n"})
	require.NoError(t, err)
	b.CAKey = nil
	_, err = b.Renew(Options{Service: "s", Namespace: "n"})
	require.ErrorContains(t, err, "CA key")
}
