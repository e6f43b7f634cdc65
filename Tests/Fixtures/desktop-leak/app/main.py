"""A Tk window that reports whether an earlier app left something on the X server (the cut
buffer CUT_BUFFER0, a property of the root window), then leaves something there itself.
"Check again" reads the buffer once more: within one app the probe finds what it stored."""
import ctypes
import tkinter as tk

x11 = ctypes.CDLL("libX11.so.6")
x11.XOpenDisplay.restype = ctypes.c_void_p
x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
x11.XFetchBytes.restype = ctypes.c_void_p
x11.XFetchBytes.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]
x11.XStoreBytes.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
x11.XFlush.argtypes = [ctypes.c_void_p]
x11.XFree.argtypes = [ctypes.c_void_p]
display = x11.XOpenDisplay(None)
MARK = b"left-by-an-earlier-app"


def stored():
    n = ctypes.c_int(0)
    data = x11.XFetchBytes(display, ctypes.byref(n))
    if not data or n.value == 0:
        return b""
    value = ctypes.string_at(data, n.value)
    x11.XFree(data)
    return value


root = tk.Tk()
root.title("Leak probe")
root.geometry("600x300+0+0")
found = stored()
status = tk.Label(root, text="Leaked" if found == MARK else "Clean", font=("DejaVu Sans", 22))
status.pack(pady=20)
x11.XStoreBytes(display, MARK, len(MARK))
x11.XFlush(display)
tk.Label(root, text="Stored", font=("DejaVu Sans", 22)).pack(pady=10)
again = tk.Label(root, text="", font=("DejaVu Sans", 22))
again.pack(pady=10)
tk.Button(root, text="Check again", font=("DejaVu Sans", 18),
          command=lambda: again.config(text="Found again" if stored() == MARK else "Not found")).pack(pady=10)
root.mainloop()
