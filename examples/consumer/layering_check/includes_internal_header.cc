// nsenter/process_executor.h is an internal header of nsenter_cpp: it is
// among the files of @nsenter_cpp//nsenter's dependencies, but not in the hdrs
// of @nsenter_cpp//nsenter, so a layering check must refuse this include.
#include "nsenter/process_executor.h"

int UsesInternalHeader() { return sizeof(nsenter::ProcessExecutor) > 0 ? 0 : 1; }
