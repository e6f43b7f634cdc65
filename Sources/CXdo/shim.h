#include <sys/types.h>
#include <X11/Xlib.h>
#include <xdo.h>
