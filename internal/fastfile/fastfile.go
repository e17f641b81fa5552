// Package fastfile reads and writes whole files with plain system calls.
//
// os.ReadFile and os.WriteFile register every file with the runtime's
// network poller (fcntl twice, then an epoll_ctl that regular files
// refuse) and stat it: on a 10,000-page build that is over 100,000 system
// calls spent on files that are opened once and closed at once. Where the
// platform allows, this package opens, reads or writes, and closes, and
// nothing else; elsewhere it is os.ReadFile and os.WriteFile.
package fastfile
