import VigilCore

extension SignatureForm {
    /// The sign form as a browser posts it, by the field names of `sign-form.mustache`.
    init(_ body: FormBody) {
        self.init(
            name: body["name"] ?? "",
            email: body["email"] ?? "",
            country: body["country"] ?? "",
            city: body["city"] ?? "",
            comment: body["comment"] ?? "",
            showNamePublicly: body.isChecked("show_name"),
            keepInformed: body.isChecked("keep_informed")
        )
    }

    /// The sign form's fields whose bytes in the body were not text.
    static func unreadableFields(in body: FormBody) -> Set<SignatureField> {
        Set(body.unreadable.compactMap(SignatureField.init(rawValue:)))
    }
}
