"""The stand-in's ``views.*``, ``files.*``, ``users.*`` and ``usergroups.*`` methods."""

from __future__ import annotations

from typing import Any

from bot.demo.standins.slack_web_model import Message, SlackError
from bot.demo.standins.slack_web_state import WorkspaceState


class ViewAndDirectoryMethods(WorkspaceState):
    def _m_usergroups_list(self, _args: dict[str, Any]) -> dict[str, Any]:
        groups = [{"id": group, "team_id": self.team_id, "is_usergroup": True,
                   "handle": self.usergroup_handles.get(group, group.lower()), "name": group, "date_delete": 0}
                  for group in self.usergroups]
        return {"usergroups": groups}

    def _m_usergroups_users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        group = str(args.get("usergroup", ""))
        if group not in self.usergroups:
            raise SlackError("no_such_subteam")
        return {"users": list(self.usergroups[group])}

    def _m_users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = str(args.get("user", ""))
        if user[:1] not in ("U", "W"):
            raise SlackError("user_not_found")
        real_name = self.users.get(user, user.lower())
        name = real_name.split(" ")[0].lower()
        profile = {"display_name": name, "real_name": real_name, "first_name": real_name.split(" ")[0]}
        return {"user": {"id": user, "team_id": self.team_id, "name": name, "real_name": real_name, "profile": profile}}

    def _m_files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("filename") or not str(args.get("length", "")).isdigit():
            raise SlackError("invalid_arguments")
        file_id = f"F{next(self._view_counter):010d}"
        self._uploads[file_id] = {"filename": args["filename"], "length": int(args["length"]), "data": None}
        return {"upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def receive_upload(self, file_id: str, data: bytes) -> bool:
        with self._lock:
            upload = self._uploads.get(file_id)
            if upload is None:
                return False
            upload["data"] = data
            return True

    def _m_files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        completed = []
        for entry in args.get("files") or []:
            upload = self._uploads.get(entry.get("id", ""))
            if upload is None or upload["data"] is None:
                raise SlackError("file_not_found")
            if len(upload["data"]) != upload["length"]:
                raise SlackError("file_upload_size_mismatch")
            completed.append({"id": entry["id"], "name": upload["filename"],
                              "title": entry.get("title") or upload["filename"]})
        channel = args.get("channel_id")
        if channel:
            self._postable({"channel": channel})
            thread_ts = args.get("thread_ts") or None
            message = Message(channel, self._next_ts(), str(args.get("initial_comment") or ""), None,
                              thread_ts if (channel, str(thread_ts)) in self._by_ts else None)
            self._by_ts[(channel, message.ts)] = message
            (self._threads[(channel, message.thread_ts)] if message.thread_ts else self._top[channel]).append(message)
            for file in completed:
                self.files[file["id"]] = {**file, **self._uploads[file["id"]], "channel": channel,
                                          "thread_ts": thread_ts}
        return {"files": completed}

    def _m_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self._use_trigger(args)
        view = self._store_view(args.get("view"), modal=True)
        self._user_modal[user] = view["id"]
        return {"view": view}

    def _m_views_push(self, args: dict[str, Any]) -> dict[str, Any]:
        return self._m_views_open(args)

    def _m_views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        external_id = args.get("external_id")
        view_id = args.get("view_id") or next(
            (vid for vid, v in self.views.items() if external_id and v.get("external_id") == external_id), None,
        )
        if view_id not in self.views:
            raise SlackError("not_found")
        if args.get("hash") and args["hash"] != self.views[view_id]["hash"]:
            raise SlackError("hash_conflict")
        view = self._store_view(args.get("view"), modal=True, view_id=view_id)
        return {"view": view}

    def _m_views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        user = str(args.get("user_id", ""))
        if not user:
            raise SlackError("invalid_arguments")
        view = self._store_view(args.get("view"), modal=False, view_id=self._home.get(user))
        self._home[user] = view["id"]
        return {"view": view}
