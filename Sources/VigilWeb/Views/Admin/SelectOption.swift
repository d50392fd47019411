/// One choice of a console form's `<select>` or group of boxes.
struct SelectOption {
    let value: String
    let label: String
    let selected: Bool
}
