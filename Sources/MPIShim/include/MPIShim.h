// A shim over an MPI library loaded at run time (`dlopen`), so the package builds, links and
// tests without MPI and a process asks for it only when it is started under `mpirun`.
//
// Open MPI's handles (communicators, datatypes, error handlers) are addresses of global objects;
// MPICH's (and Intel MPI's, which shares its ABI) are integers. The shim finds out which it has
// loaded and hides the difference: Swift sees byte-level collectives on `MPI_COMM_WORLD` and
// status codes. Every reduction is done in Swift, in rank order, so results do not depend on the
// MPI library's reduction algorithm.
//
// Every function but `sa_mpi_load` requires a successful `sa_mpi_load` and `sa_mpi_initialize`
// first; counts and offsets are in bytes and each buffer holds the bytes its counts describe.
#ifndef SA_MPI_SHIM_H
#define SA_MPI_SHIM_H

#include <stdint.h>

/// MPI's success status (0 in every implementation), and the shim's own status for an MPI that
/// cannot take calls from several threads one at a time (not an MPI error code).
enum { SA_MPI_SUCCESS = 0, SA_MPI_THREAD_LEVEL_TOO_LOW = -1 };

/// The ABI of the loaded library.
enum { SA_MPI_ABI_NONE = 0, SA_MPI_ABI_OPEN_MPI = 1, SA_MPI_ABI_MPICH = 2 };

/// Opens the MPI library at `path` (a file name the dynamic loader searches for, or a path) and
/// resolves the functions the shim calls. Returns the ABI found, or `SA_MPI_ABI_NONE` with the
/// reason in `message` (at most `capacity` bytes, NUL-terminated). Loading twice is harmless.
int32_t sa_mpi_load(const char *path, char *message, int32_t capacity);

/// Initialises MPI for calls from one thread at a time (`MPI_THREAD_SERIALIZED`; returns
/// `SA_MPI_THREAD_LEVEL_TOO_LOW` if the library grants less), unless it is already initialised,
/// and makes errors on `MPI_COMM_WORLD` return codes instead of aborting.
/// Writes this process's rank and the world's size.
int32_t sa_mpi_initialize(int32_t *rank, int32_t *size);

/// Whether MPI has been initialised and not finalised.
int32_t sa_mpi_is_initialized(void);

/// `MPI_Allgatherv` of bytes: this rank's `count` bytes from `send`; rank r's `counts[r]` bytes
/// land at `receive + offsets[r]`.
int32_t sa_mpi_allgatherv(const void *send, int32_t count, void *receive, const int32_t *counts,
                          const int32_t *offsets);

/// `MPI_Alltoallv` of bytes: `send_counts[r]` bytes at `send + send_offsets[r]` go to rank r; rank
/// r's bytes for this rank land at `receive + receive_offsets[r]`, `receive_counts[r]` of them.
int32_t sa_mpi_alltoallv(const void *send, const int32_t *send_counts, const int32_t *send_offsets,
                         void *receive, const int32_t *receive_counts, const int32_t *receive_offsets);

/// `MPI_Bcast` of `count` bytes from rank `root`.
int32_t sa_mpi_broadcast(void *buffer, int32_t count, int32_t root);

/// `MPI_Barrier` on the world.
int32_t sa_mpi_barrier(void);

/// `MPI_Abort` on the world with `code`: ends every rank.
void sa_mpi_abort(int32_t code);

/// `MPI_Finalize`, unless MPI is not initialised or already finalised.
int32_t sa_mpi_finalize(void);

/// MPI's text for a status code, NUL-terminated in at most `capacity` bytes.
void sa_mpi_error_text(int32_t code, char *text, int32_t capacity);

/// The library's version text (`MPI_Get_library_version`), NUL-terminated in at most `capacity`
/// bytes.
void sa_mpi_library_version(char *text, int32_t capacity);

#endif
