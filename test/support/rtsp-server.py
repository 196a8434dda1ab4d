"""A loopback RTSP camera for the tests: GStreamer's RTSP server (Debian's gir1.2-gst-rtsp-server
and python3-gi) streaming a moving test pattern as RTP/JPEG, with Basic authentication that it
checks itself. Usage: rtsp-server.py PORT USER PASSWORD. Prints "ready" once it listens on
127.0.0.1:PORT/cam, and exits when its standard input closes (so it never outlives the test).
`rtsp-server.py --check` exits 0 when everything it needs is installed."""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

PIPELINE = (
    "( videotestsrc is-live=true pattern=ball "
    "! video/x-raw,width=320,height=240,framerate=10/1,format=I420 "
    "! jpegenc ! rtpjpegpay name=pay0 pt=26 )"
)


ELEMENTS = ("videotestsrc", "jpegenc", "rtpjpegpay")


def main():
    Gst.init(None)
    missing = [name for name in ELEMENTS if Gst.ElementFactory.find(name) is None]
    if sys.argv[1:] == ["--check"]:
        sys.exit(f"missing GStreamer elements: {missing}" if missing else 0)
    port, user, password = sys.argv[1], sys.argv[2], sys.argv[3]
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(port)
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(PIPELINE)
    factory.set_shared(True)
    auth = GstRtspServer.RTSPAuth()
    token = GstRtspServer.RTSPToken()
    token.set_string("media.factory.role", "viewer")
    auth.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password), token)
    server.set_auth(auth)
    role = "viewer, media.factory.access=(boolean)true, media.factory.construct=(boolean)true"
    factory.add_role_from_structure(Gst.Structure.from_string(role)[0])
    server.get_mount_points().add_factory("/cam", factory)
    if server.attach(None) == 0:
        sys.exit(f"cannot listen on 127.0.0.1:{port}")
    loop = GLib.MainLoop()
    stdin_closed = GLib.IO_HUP | GLib.IO_IN
    GLib.io_add_watch(sys.stdin.fileno(), GLib.PRIORITY_DEFAULT, stdin_closed, lambda *_: loop.quit())
    print("ready", flush=True)
    loop.run()


main()
