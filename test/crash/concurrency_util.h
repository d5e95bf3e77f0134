// Helpers for the concurrent-writer suites: writers in forked processes (each with its own
// DuckDB database, as separate programs would be) or threads, and the checks a user makes
// on the table they wrote together.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "delta/snapshot.h"

namespace sluice::crash {

// Table layout of these suites: (writer BIGINT, batch BIGINT, id BIGINT).
// Creates the table at version 0 holding `seed_rows` rows of writer -1, batch -1.
Status CreateWriterTable(const delta::DeltaContext& context, const std::string& root,
                         int64_t seed_rows);

// Appends `batches` batches of `rows_per_batch` rows for `writer`, one WriteTable call
// each, as idempotent writer "writer-<writer>" with versions 0 .. batches-1. A batch the
// table already holds is an error unless `restarted` (a restarted writer skips the batches
// its previous life committed).
Status AppendBatches(const delta::DeltaContext& context, const std::string& root, int64_t writer,
                     int64_t batches, int64_t rows_per_batch, bool restarted = false);

// Runs `body` in a forked child, which exits 0 when it returns OK and otherwise prints
// the error to stderr and exits 1. The child never returns into the test. The parent must
// hold no open DuckDB database while forking (a child cannot inherit its threads).
pid_t Spawn(const std::function<Status()>& body);

// Waits for the children; any still running after `timeout_seconds` is killed (a hang)
// and reported as a failure. Returns one message per child that hung, crashed or exited
// non-zero; empty when all succeeded.
std::vector<std::string> WaitAll(const std::vector<pid_t>& children, int timeout_seconds);

// Checks, with non-fatal gtest assertions, a table written by CreateWriterTable (no seed
// rows left, or `seed_rows_left` of them) and then by `writers` AppendBatches calls of
// `batches` x `rows_per_batch`, plus `other_commits` commits that are not appends:
// commit versions are contiguous from 0; each WRITE commit after version 0 holds exactly
// one whole batch and its idempotent writer's `txn`; every batch is committed exactly once;
// the rows are exactly the seed rows left plus every batch.
void ExpectEveryBatchOnce(const delta::DeltaContext& context, const std::string& root,
                          int64_t writers, int64_t batches, int64_t rows_per_batch,
                          int64_t seed_rows_left, int64_t other_commits);

// The version named by a Conflict message ("concurrent commit <v> of ..."); -1 if none.
int64_t ConflictingVersion(const std::string& message);

}  // namespace sluice::crash
