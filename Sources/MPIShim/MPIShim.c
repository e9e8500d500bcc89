// See MPIShim.h. The function types are written out twice, once per handle type, because calling
// through a pointer of the wrong type is undefined even where the registers happen to agree.
#include "MPIShim.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

// MPICH's predefined handles (mpi.h of MPICH 3 and 4; Intel MPI uses the same values).
#define MPICH_COMM_WORLD 0x44000000
#define MPICH_BYTE 0x4c00010d
#define MPICH_ERRORS_RETURN 0x54000001
// MPI_THREAD_SERIALIZED in both implementations.
#define THREAD_SERIALIZED 2
#define MAX_TEXT 1024

#define DECLARE_HANDLE_FUNCTIONS(prefix, handle)                                                    \
    typedef int (*prefix##_comm_query)(handle, int *);                                              \
    typedef int (*prefix##_set_errhandler)(handle, handle);                                         \
    typedef int (*prefix##_allgatherv)(const void *, int, handle, void *, const int *, const int *, \
                                       handle, handle);                                             \
    typedef int (*prefix##_alltoallv)(const void *, const int *, const int *, handle, void *,       \
                                      const int *, const int *, handle, handle);                    \
    typedef int (*prefix##_bcast)(void *, int, handle, int, handle);                                \
    typedef int (*prefix##_barrier)(handle);                                                        \
    typedef int (*prefix##_abort)(handle, int);                                                     \
    typedef struct {                                                                                \
        prefix##_comm_query comm_rank, comm_size;                                                   \
        prefix##_set_errhandler comm_set_errhandler;                                                \
        prefix##_allgatherv allgatherv;                                                             \
        prefix##_alltoallv alltoallv;                                                               \
        prefix##_bcast bcast;                                                                       \
        prefix##_barrier barrier;                                                                   \
        prefix##_abort abort;                                                                       \
        handle comm_world;                                                                          \
        handle byte;                                                                                \
        handle errors_return;                                                                       \
    } prefix##_functions;

typedef void *ompi_handle;
DECLARE_HANDLE_FUNCTIONS(ompi, ompi_handle)
DECLARE_HANDLE_FUNCTIONS(mpich, int)

typedef int (*flag_query)(int *);
typedef int (*init_thread_function)(int *, char ***, int, int *);
typedef int (*finalize_function)(void);
typedef int (*text_query)(int, char *, int *);
typedef int (*version_query)(char *, int *);

static struct {
    int abi;
    void *library;
    flag_query initialized, finalized;
    init_thread_function init_thread;
    finalize_function finalize;
    text_query error_string;
    version_query library_version;
    ompi_functions ompi;
    mpich_functions mpich;
} mpi;

static int resolve(void *library, const char *name, void **function, char *message, int32_t capacity) {
    *function = dlsym(library, name);
    if (*function == NULL) {
        snprintf(message, (size_t)capacity, "the MPI library has no symbol %s", name);
        return 0;
    }
    return 1;
}

// Resolves `name` into `field` of `table` (a struct of function pointers), or closes the library
// and returns NONE.
#define RESOLVE(table, field, name)                                                            \
    do {                                                                                       \
        void *function;                                                                        \
        if (!resolve(library, name, &function, message, capacity)) {                           \
            dlclose(library);                                                                  \
            return SA_MPI_ABI_NONE;                                                            \
        }                                                                                      \
        memcpy(&(table).field, &function, sizeof function);                                    \
    } while (0)

#define RESOLVE_HANDLE_FUNCTIONS(table)                                     \
    do {                                                                    \
        RESOLVE(table, comm_rank, "MPI_Comm_rank");                         \
        RESOLVE(table, comm_size, "MPI_Comm_size");                         \
        RESOLVE(table, comm_set_errhandler, "MPI_Comm_set_errhandler");     \
        RESOLVE(table, allgatherv, "MPI_Allgatherv");                       \
        RESOLVE(table, alltoallv, "MPI_Alltoallv");                         \
        RESOLVE(table, bcast, "MPI_Bcast");                                 \
        RESOLVE(table, barrier, "MPI_Barrier");                             \
        RESOLVE(table, abort, "MPI_Abort");                                 \
    } while (0)

int32_t sa_mpi_load(const char *path, char *message, int32_t capacity) {
    if (mpi.abi != SA_MPI_ABI_NONE) return mpi.abi;
    // RTLD_GLOBAL: Open MPI's plugins, loaded later by the library itself, resolve its symbols
    // from the global scope.
    void *library = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
    if (library == NULL) {
        const char *reason = dlerror();
        snprintf(message, (size_t)capacity, "%s", reason ? reason : "dlopen failed");
        return SA_MPI_ABI_NONE;
    }
    RESOLVE(mpi, initialized, "MPI_Initialized");
    RESOLVE(mpi, finalized, "MPI_Finalized");
    RESOLVE(mpi, init_thread, "MPI_Init_thread");
    RESOLVE(mpi, finalize, "MPI_Finalize");
    RESOLVE(mpi, error_string, "MPI_Error_string");
    RESOLVE(mpi, library_version, "MPI_Get_library_version");
    void *open_mpi_world = dlsym(library, "ompi_mpi_comm_world");
    if (open_mpi_world != NULL) {
        RESOLVE_HANDLE_FUNCTIONS(mpi.ompi);
        mpi.ompi.comm_world = open_mpi_world;
        if (!resolve(library, "ompi_mpi_byte", &mpi.ompi.byte, message, capacity) ||
            !resolve(library, "ompi_mpi_errors_return", &mpi.ompi.errors_return, message, capacity)) {
            dlclose(library);
            return SA_MPI_ABI_NONE;
        }
        mpi.abi = SA_MPI_ABI_OPEN_MPI;
    } else {
        RESOLVE_HANDLE_FUNCTIONS(mpi.mpich);
        mpi.mpich.comm_world = MPICH_COMM_WORLD;
        mpi.mpich.byte = MPICH_BYTE;
        mpi.mpich.errors_return = MPICH_ERRORS_RETURN;
        mpi.abi = SA_MPI_ABI_MPICH;
    }
    mpi.library = library;
    return mpi.abi;
}

int32_t sa_mpi_is_initialized(void) {
    if (mpi.abi == SA_MPI_ABI_NONE) return 0;
    int initialized = 0, finalized = 0;
    mpi.initialized(&initialized);
    mpi.finalized(&finalized);
    return initialized && !finalized;
}

int32_t sa_mpi_initialize(int32_t *rank, int32_t *size) {
    int initialized = 0;
    int status = mpi.initialized(&initialized);
    if (status != SA_MPI_SUCCESS) return status;
    if (!initialized) {
        int provided = 0;
        status = mpi.init_thread(NULL, NULL, THREAD_SERIALIZED, &provided);
        if (status != SA_MPI_SUCCESS) return status;
        // Calls may come from any thread, one at a time: less than that is not enough.
        if (provided < THREAD_SERIALIZED) return SA_MPI_THREAD_LEVEL_TOO_LOW;
    }
    int world_rank = 0, world_size = 0;
    if (mpi.abi == SA_MPI_ABI_OPEN_MPI) {
        status = mpi.ompi.comm_set_errhandler(mpi.ompi.comm_world, mpi.ompi.errors_return);
        if (status == SA_MPI_SUCCESS) status = mpi.ompi.comm_rank(mpi.ompi.comm_world, &world_rank);
        if (status == SA_MPI_SUCCESS) status = mpi.ompi.comm_size(mpi.ompi.comm_world, &world_size);
    } else {
        status = mpi.mpich.comm_set_errhandler(mpi.mpich.comm_world, mpi.mpich.errors_return);
        if (status == SA_MPI_SUCCESS) status = mpi.mpich.comm_rank(mpi.mpich.comm_world, &world_rank);
        if (status == SA_MPI_SUCCESS) status = mpi.mpich.comm_size(mpi.mpich.comm_world, &world_size);
    }
    *rank = world_rank;
    *size = world_size;
    return status;
}

int32_t sa_mpi_allgatherv(const void *send, int32_t count, void *receive, const int32_t *counts,
                          const int32_t *offsets) {
    if (mpi.abi == SA_MPI_ABI_OPEN_MPI) {
        return mpi.ompi.allgatherv(send, count, mpi.ompi.byte, receive, counts, offsets, mpi.ompi.byte,
                                   mpi.ompi.comm_world);
    }
    return mpi.mpich.allgatherv(send, count, mpi.mpich.byte, receive, counts, offsets, mpi.mpich.byte,
                                mpi.mpich.comm_world);
}

int32_t sa_mpi_alltoallv(const void *send, const int32_t *send_counts, const int32_t *send_offsets,
                         void *receive, const int32_t *receive_counts, const int32_t *receive_offsets) {
    if (mpi.abi == SA_MPI_ABI_OPEN_MPI) {
        return mpi.ompi.alltoallv(send, send_counts, send_offsets, mpi.ompi.byte, receive, receive_counts,
                                  receive_offsets, mpi.ompi.byte, mpi.ompi.comm_world);
    }
    return mpi.mpich.alltoallv(send, send_counts, send_offsets, mpi.mpich.byte, receive, receive_counts,
                               receive_offsets, mpi.mpich.byte, mpi.mpich.comm_world);
}

int32_t sa_mpi_broadcast(void *buffer, int32_t count, int32_t root) {
    if (mpi.abi == SA_MPI_ABI_OPEN_MPI) {
        return mpi.ompi.bcast(buffer, count, mpi.ompi.byte, root, mpi.ompi.comm_world);
    }
    return mpi.mpich.bcast(buffer, count, mpi.mpich.byte, root, mpi.mpich.comm_world);
}

int32_t sa_mpi_barrier(void) {
    if (mpi.abi == SA_MPI_ABI_OPEN_MPI) return mpi.ompi.barrier(mpi.ompi.comm_world);
    return mpi.mpich.barrier(mpi.mpich.comm_world);
}

void sa_mpi_abort(int32_t code) {
    if (mpi.abi == SA_MPI_ABI_OPEN_MPI) {
        mpi.ompi.abort(mpi.ompi.comm_world, code);
    } else if (mpi.abi == SA_MPI_ABI_MPICH) {
        mpi.mpich.abort(mpi.mpich.comm_world, code);
    }
}

int32_t sa_mpi_finalize(void) {
    if (!sa_mpi_is_initialized()) return SA_MPI_SUCCESS;
    return mpi.finalize();
}

void sa_mpi_error_text(int32_t code, char *text, int32_t capacity) {
    char buffer[MAX_TEXT];
    int length = 0;
    if (mpi.abi == SA_MPI_ABI_NONE || mpi.error_string(code, buffer, &length) != SA_MPI_SUCCESS) {
        snprintf(text, (size_t)capacity, "MPI error %d", code);
        return;
    }
    snprintf(text, (size_t)capacity, "%.*s", length, buffer);
}

void sa_mpi_library_version(char *text, int32_t capacity) {
    // MPI_MAX_LIBRARY_VERSION_STRING is 256 in Open MPI and 8192 in MPICH.
    static char buffer[8192];
    int length = 0;
    if (mpi.abi == SA_MPI_ABI_NONE || mpi.library_version(buffer, &length) != SA_MPI_SUCCESS) {
        snprintf(text, (size_t)capacity, "unknown");
        return;
    }
    while (length > 0 && (buffer[length - 1] == '\n' || buffer[length - 1] == ' ' || buffer[length - 1] == 0)) {
        length -= 1;
    }
    snprintf(text, (size_t)capacity, "%.*s", length, buffer);
}
